import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'botgate-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: join(dir, 'data'),
      catalog: join(dir, 'examples'),
      concurrency: 8,
      shutdownGrace: 30_000,
      sections: { localApi: { userId: 'botgate' } },
    });
    expect(config.sections.localApi).not.toHaveProperty('token');
  });

  it('lays BOTGATE_* over the file, nested keys included, and resolves paths from the file', () => {
    const path = write('a.yaml', 'port: 4000\ndataDir: ./state\nlocalApi:\n  userId: alice\n  allow: [127.0.0.1/32]\n');
    const config = loadConfig({
      path,
      cwd: '/',
      env: {
        BOTGATE_PORT: '4100',
        BOTGATE_LOCAL_API_TOKEN: 'a-token-of-16-chars',
        BOTGATE_LOCAL_API_ALLOW: '10.0.0.0/8, ::1',
        BOTGATE_RETENTION: '2d',
      },
    });
    expect(config).toMatchObject({ port: 4100, dataDir: join(dir, 'state'), retention: 2 * 86_400_000 });
    expect(config.sections.localApi).toEqual({
      userId: 'alice',
      token: 'a-token-of-16-chars',
      allow: ['10.0.0.0/8', '::1'],
    });
  });

  it('reads a yes/no setting from YAML or from text', () => {
    expect(loadConfig({ env: {}, cwd: dir }).worker).toBe(true);
    expect(loadConfig({ env: { BOTGATE_WORKER: 'false' }, cwd: dir }).worker).toBe(false);
    expect(loadConfig({ path: write('w.yaml', 'worker: false\n'), env: {}, cwd: dir }).worker).toBe(false);
    expect(() => loadConfig({ env: { BOTGATE_WORKER: 'maybe' }, cwd: dir })).toThrow(/BOTGATE_WORKER/);
  });

  it('names the variable or the file and key of every problem', () => {
    expect(() => loadConfig({ env: { BOTGATE_LOCAL_API_TOKEN: 'short' }, cwd: dir })).toThrow(
      /BOTGATE_LOCAL_API_TOKEN: use a token of at least 16 characters/,
    );
    expect(() => loadConfig({ env: { BOTGATE_LOCAL_API_USERID: 'x' }, cwd: dir })).toThrow(
      'BOTGATE_LOCAL_API_USERID: not a botgate setting (did you mean BOTGATE_LOCAL_API_USER_ID?)',
    );
    const path = write('b.yaml', 'localApi:\n  userid: bob\nconcurrency: -1\nconcurency: 4\nport: http\n');
    const problems = () => loadConfig({ path, env: {}, cwd: dir });
    expect(problems).toThrow(`${path}: localApi.userid: not a botgate setting (did you mean userId?)`);
    expect(problems).toThrow(`${path}: concurency: not a botgate setting (did you mean concurrency?)`);
    expect(problems).toThrow(`${path}: concurrency: expected a whole number above 0, got -1`);
    expect(problems).toThrow(`${path}: port: expected a port number, 0 to 65535, got "http"`);
    expect(() => loadConfig({ env: { BOTGATE_PORT: 'abc' }, cwd: dir })).toThrow(
      'BOTGATE_PORT: expected a port number, 0 to 65535, got "abc"',
    );
    expect(() => loadConfig({ env: { BOTGATE_RETENTION: 'forever' }, cwd: dir })).toThrow(
      /^invalid configuration:\n {2}BOTGATE_RETENTION: expected a duration[^\n]*got "forever"$/,
    );
    // Nothing near: no guess.
    expect(() => loadConfig({ path: write('d.yaml', 'zzzzzz: 1\n'), env: {}, cwd: dir })).toThrow(
      /zzzzzz: not a botgate setting$/m,
    );
    expect(() => loadConfig({ path: write('c.yaml', '- a list\n'), env: {}, cwd: dir })).toThrow(
      /expected a mapping of settings/,
    );
  });
});
