import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, createDatabase } from '@botgate/core';
import { adaptersOf } from '../src/adapter-runtimes.js';
import { adapterModules } from '../src/adapters.js';
import { loadConfig } from '../src/load-config.js';
import { repoRoot } from './helpers.js';

// Every registered adapter, each in its package folder of the same name: a new one is checked without being named here.
const adapterPackages = adapterModules.map((adapter) => adapter.name);

const sourcesOf = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourcesOf(join(dir, entry.name))
      : /\.(ts|tsx|mjs)$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );

/** Every table of a migrated database and its columns, read off SQLite. */
const schemaOfMigratedDatabase = async (): Promise<Map<string, Set<string>>> => {
  const dir = mkdtempSync(join(tmpdir(), 'botgate-boundary-'));
  try {
    const core = await createCore({
      dataDir: dir,
      catalogDir: dir,
      commandEnv: {},
      adapters: adaptersOf(loadConfig({ env: {}, cwd: dir })),
    });
    await core.close();
    const db = createDatabase({ client: 'sqlite', filename: join(dir, 'botgate.sqlite') });
    try {
      const tables = (await db.raw("SELECT name FROM sqlite_master WHERE type = 'table'")) as Array<{ name: string }>;
      const schema = new Map<string, Set<string>>();
      for (const { name } of tables) {
        const columns = (await db.raw(`PRAGMA table_info("${name}")`)) as Array<{ name: string }>;
        schema.set(name, new Set(columns.map((c) => c.name)));
      }
      return schema;
    } finally {
      await db.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const withoutComments = (source: string): string =>
  source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');

/** String literals of a source file, comments left out: what reaches the database as SQL or as a knex table or column name. */
const literalsOf = (source: string): string[] =>
  [...withoutComments(source).matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`|"((?:[^"\\\n]|\\.)*)"/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? '',
  );

/**
 * A literal that is a table name (`'jobs'`, `'jobs as j'`), a qualified column (`'j.finished_at'`),
 * or SQL that reads or writes a table (`FROM jobs`, `JOIN jobs`, `INTO jobs`, `UPDATE jobs`).
 */
const tablesNamed = (literal: string): string[] => {
  const whole = /^\s*([a-z_][a-z0-9_]*)(?:\s+as\s+[a-z_]+)?\s*$/i.exec(literal);
  const inSql = [...literal.matchAll(/\b(?:from|join|into|update|table)\s+"?([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]);
  return [...(whole ? [whole[1] as string] : []), ...(inSql as string[])];
};

/** Columns a literal names: a qualified one (`'j.finished_at'`), or any word of a SQL statement. */
const columnsNamed = (literal: string): string[] => {
  const qualified = /^\s*[a-z_]+\.([a-z_][a-z0-9_]*)\s*$/i.exec(literal);
  if (qualified) return [qualified[1] as string];
  return /^\s*(select|insert|update|delete|with)\b/i.test(literal) ? (literal.match(/[a-z_][a-z0-9_]*/gi) ?? []) : [];
};

describe('the adapter boundary', () => {
  it('no adapter imports knex, reaches core.db, or names a core table or column; each reaches only its own tables', async () => {
    const schema = await schemaOfMigratedDatabase();
    const prefixes = adapterPackages.map((name) => `${name.replace(/-/g, '_')}_`);
    const coreTables = [...schema.keys()].filter((t) => !prefixes.some((p) => t.startsWith(p)));
    expect(coreTables).toEqual(expect.arrayContaining(['jobs', 'job_attempts', 'idempotency_keys']));
    const adapterColumns = new Set(
      [...schema].filter(([t]) => !coreTables.includes(t)).flatMap(([, columns]) => [...columns]),
    );
    // Columns only core's tables have: an adapter naming one reads core's rows.
    const coreOnlyColumns = new Set(
      coreTables.flatMap((t) => [...(schema.get(t) as Set<string>)]).filter((c) => !adapterColumns.has(c)),
    );

    const findings: string[] = [];
    for (const name of adapterPackages) {
      const own = `${name.replace(/-/g, '_')}_`;
      for (const file of sourcesOf(join(repoRoot, 'packages', name, 'src'))) {
        const where = relative(repoRoot, file);
        const source = readFileSync(file, 'utf8');
        if (/from\s+'knex'|import\('knex'\)/.test(source)) findings.push(`${where}: imports knex`);
        if (/\bcore\s*\.\s*db\b/.test(source)) findings.push(`${where}: uses core.db`);
        for (const literal of literalsOf(source)) {
          for (const table of tablesNamed(literal)) {
            if (coreTables.includes(table)) findings.push(`${where}: names core's table ${table} in '${literal}'`);
            else if (schema.has(table) && !table.startsWith(own))
              findings.push(`${where}: names another adapter's table ${table}`);
          }
          for (const column of columnsNamed(literal))
            if (coreOnlyColumns.has(column)) findings.push(`${where}: names core's column ${column} in '${literal}'`);
        }
      }
    }
    expect(findings).toEqual([]);
  });

  it("names each adapter only in its own folder and in the server's list of adapters", () => {
    const names = adapterPackages.flatMap((name) => [
      name,
      name.replace(/-/g, '_'),
      name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()),
    ]);
    const pattern = new RegExp(`(?<![\\w-])(${names.join('|')})(?![\\w-])`, 'g');
    const findings: string[] = [];
    for (const folder of [
      'packages/core/src',
      'packages/http/src',
      'packages/testing/src',
      'packages/conformance/src',
      'packages/console/src',
      'packages/console/web/src',
      'apps/server/src',
    ]) {
      for (const file of sourcesOf(join(repoRoot, folder))) {
        const where = relative(repoRoot, file);
        if (where === 'apps/server/src/adapters.ts' || /\.test\.ts$/.test(where)) continue;
        for (const match of withoutComments(readFileSync(file, 'utf8')).matchAll(pattern))
          findings.push(`${where}: names ${match[1]}`);
      }
    }
    expect(findings).toEqual([]);
  });
});
