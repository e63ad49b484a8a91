import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { waitFor } from '@botgate/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../src/index.js';
import { databaseOf } from '../src/create-core.js';
import { isSqlite } from '../src/queue/database.js';
import { fixtureCatalog, useDatabase, useTempDir } from './helpers.js';

const newDir = useTempDir('botgate-stamps-');
const newDatabase = useDatabase();
const opened: Core[] = [];
afterAll(async () => {
  for (const core of opened) await core.close({ graceMs: 0 });
});

/** Two cores on one database, as two nodes (on SQLite, two connections to one file). */
const twoNodes = async (): Promise<[Core, Core]> => {
  const database = await newDatabase();
  const dataDir = newDir();
  const open = async () => {
    const core = await createCore({
      dataDir,
      catalogDir: fixtureCatalog,
      commandEnv: {},
      database: database.config ?? { client: 'sqlite', filename: join(dataDir, 'botgate.sqlite') },
    });
    opened.push(core);
    return core;
  };
  return [await open(), await open()];
};

describe('change stamps', () => {
  it("empties a cache on the call after its topic changed, this node's at once and another node's too", async () => {
    const [a, b] = await twoNodes();
    let loads = 0;
    const record = { value: 'first' };
    const load = async () => (loads++, record.value);
    const cacheA = a.stamps.cache<string>('things');
    const cacheB = b.stamps.cache<string>('things');
    expect([
      await cacheA.get('k', load),
      await cacheA.get('k', load),
      await cacheB.get('k', load),
      await cacheB.get('k', load),
    ]).toEqual(['first', 'first', 'first', 'first']);
    expect(loads).toBe(2);

    await a.stamps.change('things', async () => {
      record.value = 'second';
    });
    // This node: on the very next call.
    expect(await cacheA.get('k', load)).toBe('second');
    // Another node: SQLite reads the stamp each call, so the next call sees it; PostgreSQL hears the notification sent at commit.
    if (isSqlite(databaseOf(b))) expect(await cacheB.get('k', load)).toBe('second');
    await waitFor(
      'node B to see the change',
      async () => ((await cacheB.get('k', load)) === 'second' ? true : undefined),
      2000,
    );
    expect(loads).toBe(4);
    // Another topic's change leaves this cache alone.
    await b.stamps.change('other', async () => undefined);
    expect(await cacheA.get('k', load)).toBe('second');
    expect(loads).toBe(4);
  });

  it('moves no stamp for a change that rolls back', async () => {
    const [a] = await twoNodes();
    const before = await a.stamps.current('things');
    await expect(
      a.stamps.change('things', async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await a.stamps.current('things')).toBe(before);
    await a.stamps.change('things', async () => undefined);
    expect(await a.stamps.current('things')).not.toBe(before);
  });

  it('on SQLite, answers from memory until another connection commits to the file, then reads again', async (ctx) => {
    const [a] = await twoNodes();
    const db = databaseOf(a);
    if (!isSqlite(db)) return ctx.skip();
    await a.stamps.change('things', async () => undefined);
    const first = await a.stamps.current('things');
    // A write on this node's own connection that skips `change` (none does) is not seen: the
    // counter was not read again.
    await db.raw('UPDATE botgate_stamps SET version = version + 100 WHERE topic = ?', ['things']);
    expect(await a.stamps.current('things')).toBe(first);
    // Any commit by another connection (the CLI, say), even to another table, and it is read again.
    const other = new BetterSqlite3((db.client.config.connection as { filename: string }).filename);
    try {
      other.prepare('INSERT INTO botgate_stamps (topic, version) VALUES (?, 1)').run('unrelated');
      expect(await a.stamps.current('things')).toBe(first + 100);
      other.prepare('UPDATE botgate_stamps SET version = version + 1 WHERE topic = ?').run('things');
      expect(await a.stamps.current('things')).toBe(first + 101);
    } finally {
      other.close();
    }
  });

  it('keeps no miss: a record that does not exist is looked for again, and cannot push a real one out', async () => {
    const [a] = await twoNodes();
    const cache = a.stamps.cache<string | null>('things', 2);
    const loads: string[] = [];
    const load = (key: string, value: string | null) => async () => (loads.push(key), value);
    expect(await cache.get('real', load('real', 'value'))).toBe('value');
    for (const made of ['x1', 'x2', 'x3']) expect(await cache.get(made, load(made, null))).toBeNull();
    expect(await cache.get('x1', load('x1', null))).toBeNull();
    expect(await cache.get('real', load('real', 'value'))).toBe('value');
    expect(loads).toEqual(['real', 'x1', 'x2', 'x3', 'x1']);
  });

  it("reads a topic's stamp in a job lookup's own statement, and a cache checked with that stamp drops what a change made stale", async () => {
    const [a, b] = await twoNodes();
    const { job } = await a.jobs.enqueue({ automationId: 'echo', adapter: 'test', plainInputs: { message: 'hi' } });
    const store = a.store('test');
    const lookup = async () => {
      const found = await store.findJob('SELECT id FROM jobs WHERE id = ?', [job.id], { stampOf: 'things' });
      expect(found?.job.id).toBe(job.id);
      return found?.stamp;
    };
    // A topic never changed reads as 0, as `current` answers it.
    expect(await lookup()).toBe(await a.stamps.current('things'));
    expect(await store.findJob('SELECT id FROM jobs WHERE id = ?', [job.id])).not.toHaveProperty('stamp');

    const record = { value: 'first' };
    let loads = 0;
    const load = async () => (loads++, record.value);
    const cache = a.stamps.cache<string>('things');
    expect(await cache.get('k', load, await lookup())).toBe('first');
    expect(await cache.get('k', load, await lookup())).toBe('first');
    expect(loads).toBe(1);
    // Changed by the other node: the next lookup's stamp has moved, so the record is read again.
    await b.stamps.change('things', async () => {
      record.value = 'second';
    });
    const moved = await lookup();
    expect(moved).toBe(await b.stamps.current('things'));
    expect(await cache.get('k', load, moved)).toBe('second');
    expect(loads).toBe(2);
  });

  it('lets a write act on a value kept in memory only while its stamp stands at the commit (SQLite)', async () => {
    const [a, b] = await twoNodes();
    const cache = a.stamps.cache<string>('things');
    if (!isSqlite(databaseOf(a))) {
      // PostgreSQL's `get` answers from memory without a read: nothing to peek past.
      await cache.get('k', async () => 'first');
      expect(cache.peek('k')).toBeUndefined();
      return;
    }
    const record = { value: 'first' };
    expect(cache.peek('k')).toBeUndefined();
    expect(await cache.get('k', async () => record.value)).toBe('first');
    const kept = cache.peek('k');
    expect(kept).toEqual({ value: 'first', held: { topic: 'things', stamp: await a.stamps.current('things') } });
    const enqueue = () =>
      a.jobs.enqueue({ automationId: 'echo', adapter: 'test', plainInputs: { message: 'hi' }, held: kept?.held });
    await enqueue();
    const before = await a.jobs.counts();

    // Another connection commits a change: memory still answers the old value, unchecked…
    await b.stamps.change('things', async () => {
      record.value = 'second';
    });
    expect(cache.peek('k')?.value).toBe('first');
    // …and the job's own transaction refuses to act on it, keeping nothing: a queued job, and a
    // real-time run, which then never starts.
    await expect(enqueue()).rejects.toMatchObject({ code: 'STALE_READ' });
    const execute = (held: typeof kept) =>
      a.jobs.execute({ automationId: 'inline', adapter: 'test', inputs: {}, timeoutMs: 5000, held: held?.held });
    await expect(execute(kept)).rejects.toMatchObject({ code: 'STALE_READ' });
    expect(await a.jobs.counts()).toEqual(before);
    // Kept again under the new stamp, both act.
    expect(await cache.get('k', async () => record.value)).toBe('second');
    expect((await execute(cache.peek('k'))).state).toBe('succeeded');
  });
});
