import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BOTGATE_JOB_DIR ?? process.cwd();
// The job's own files (input.json, output/, .botgate/) are not uploads.
const own = new Set(['input.json', 'output', '.botgate']);
const files = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isFile() && !own.has(entry.name))
  .map((entry) => ({ name: entry.name, size: statSync(join(dir, entry.name)).size }))
  .sort((a, b) => a.name.localeCompare(b.name));

const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
const lines = [`${files.length} file(s), ${totalBytes} bytes`, ...files.map((file) => `${file.name}\t${file.size}`)];
mkdirSync(join(dir, 'output'), { recursive: true });
writeFileSync(join(dir, 'output', 'report.txt'), `${lines.join('\n')}\n`);
writeFileSync(
  process.env.BOTGATE_OUTPUT,
  JSON.stringify({ files: files.map((f) => f.name), sizes: files.map((f) => f.size), count: files.length, totalBytes }),
);
console.log(lines.join('\n'));
