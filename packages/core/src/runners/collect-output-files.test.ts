import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectFiles } from './collect-output-files.js';

const root = mkdtempSync(join(tmpdir(), 'botgate-outputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const folder = (files: Record<string, string>): string => {
  const dir = join(root, String(++folders));
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
};

describe('collectFiles', () => {
  it('finds none in a folder that is not there or is empty', async () => {
    expect(await collectFiles(join(root, 'missing'))).toEqual([]);
    expect(await collectFiles(folder({}))).toEqual([]);
  });

  it('names a few files with their sizes, in order, and leaves out what is not a file', async () => {
    const dir = folder({ 'b.txt': 'bb', 'a.csv': 'a' });
    symlinkSync(join(dir, 'a.csv'), join(dir, 'link'));
    expect(await collectFiles(dir)).toEqual([
      { name: 'a.csv', size: 1 },
      { name: 'b.txt', size: 2 },
    ]);
  });

  it('names the files of subfolders with their path', async () => {
    const dir = folder({ 'top.txt': 'x', 'sub/inner.txt': 'yy', 'sub/deeper/last.txt': 'zzz' });
    expect(await collectFiles(dir)).toEqual([
      { name: 'sub/deeper/last.txt', size: 3 },
      { name: 'sub/inner.txt', size: 2 },
      { name: 'top.txt', size: 1 },
    ]);
  });

  it('names every one of many files', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `file-${String(i).padStart(3, '0')}.txt`);
    const dir = folder(Object.fromEntries(names.map((name) => [name, name])));
    expect(await collectFiles(dir)).toEqual(names.map((name) => ({ name, size: name.length })));
  });
});
