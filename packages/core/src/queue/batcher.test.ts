import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';

describe('createBatcher (group commit)', () => {
  it('writes items submitted together as one batch, in the given order, each caller getting its own result', async () => {
    const batches: number[][] = [];
    const submit = createBatcher<number, string>({
      many: async (items) => {
        batches.push(items);
        return items.map((n) => `#${n}`);
      },
      one: async (n) => `alone ${n}`,
      maxBatch: 100,
      compare: (a, b) => a - b,
    });
    const results = await Promise.all([5, 3, 9, 1].map(submit));
    expect(results).toEqual(['#5', '#3', '#9', '#1']);
    expect(batches).toEqual([[1, 3, 5, 9]]);
  });

  it('collects what arrives during a write into the next batch, never more than maxBatch at once', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const submit = createBatcher<number, number>({
      many: async (items) => {
        batches.push(items);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return items;
      },
      one: async (n) => {
        batches.push([n]);
        return n;
      },
      maxBatch: 3,
    });
    const first = [submit(1), submit(2)];
    await new Promise((resolve) => setImmediate(resolve));
    const later = [3, 4, 5, 6, 7].map(submit);
    release();
    expect(await Promise.all([...first, ...later])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
  });

  it('retries a failed batch item by item: the bad item fails alone and every other one is written', async () => {
    const written: number[] = [];
    const submit = createBatcher<number, number>({
      many: async () => {
        throw new Error('the batch failed');
      },
      one: async (n) => {
        if (n === 13) throw new Error('13 is refused');
        written.push(n);
        return n * 10;
      },
      maxBatch: 10,
    });
    const results = await Promise.allSettled([11, 12, 13, 14].map(submit));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ message: '13 is refused' });
    expect(written.sort()).toEqual([11, 12, 14]);
  });
});
