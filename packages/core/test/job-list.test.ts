import { describe, expect, it } from 'vitest';
import { useCore, useTempDir } from './helpers.js';

const openCore = useCore(useTempDir());

describe('core.jobs.list filters', () => {
  it('pages by id, bounds the creation time and finds text in the inputs, whatever its case', async () => {
    const core = await openCore();
    const ids: number[] = [];
    for (const message of ['Alpha 50%', 'beta_1', 'Ärger gamma', 'ALPHA two', 'delta'])
      ids.push((await core.jobs.enqueue({ automationId: 'echo', adapter: 'test', plainInputs: { message } })).job.id);
    const list = async (filter: Parameters<typeof core.jobs.list>[0]) =>
      (await core.jobs.list(filter)).map((j) => j.id);

    const first = await list({ limit: 2 });
    expect(first).toEqual([ids[4], ids[3]]);
    expect(await list({ limit: 2, beforeId: first.at(-1) })).toEqual([ids[2], ids[1]]);
    expect(await list({ limit: 2, beforeId: ids[1] })).toEqual([ids[0]]);

    expect(await list({ inputContains: 'alpha' })).toEqual([ids[3], ids[0]]);
    // % and _ are searched for, not wildcards.
    expect(await list({ inputContains: '50%' })).toEqual([ids[0]]);
    expect(await list({ inputContains: 'a_1' })).toEqual([ids[1]]);
    expect(await list({ inputContains: 'a%' })).toEqual([]);
    // Letters past ASCII are found as they were typed (and in any case on PostgreSQL).
    expect(await list({ inputContains: 'Ärger' })).toEqual([ids[2]]);

    const created = (await core.jobs.get(ids[2] as number)).createdAt;
    expect(
      await list({ createdFrom: new Date(created.getTime() + 1), createdTo: new Date(created.getTime() + 1) }),
    ).toEqual([]);
    expect(await list({ createdTo: new Date(0) })).toEqual([]);
    const createdOf = async (id: number | undefined) => (await core.jobs.get(id as number)).createdAt;
    expect(await list({ createdFrom: await createdOf(ids[4]) })).toContain(ids[4]);
    expect(await list({ createdTo: await createdOf(ids[0]) })).not.toContain(ids[0]);
    expect(await list({ createdFrom: new Date(0), createdTo: new Date(Date.now() + 1000) })).toHaveLength(5);
  });
});
