// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package.
//   node bench/profile-summary.mjs <file.cpuprofile> [rows=25]
import { readFileSync } from 'node:fs';

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const rows = Number(process.argv[3] ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++)
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map();
const byPackage = new Map();
for (const [id, us] of self) {
  const { callFrame: f } = byId.get(id);
  const where = f.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '');
  const fn = `${f.functionName || '(anonymous)'} ${where.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  const pkg =
    f.url === ''
      ? f.functionName || '(native)'
      : f.url.startsWith('node:')
        ? 'node:internal'
        : (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(f.url)?.[1] ?? where.split('/').slice(-3).join('/'));
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}
// Inclusive time: every function on a sample's stack, once per sample.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map();
for (const [id, us] of self) {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const { callFrame: f } = byId.get(at);
    const where = f.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '');
    const fn = `${f.functionName || '(anonymous)'} ${where.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    if (seen.has(fn)) continue;
    seen.add(fn);
    inclusive.set(fn, (inclusive.get(fn) ?? 0) + us);
  }
}
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
};
show('self time by package', byPackage);
show('self time by function', byFunction);
show('inclusive time by function', inclusive);
