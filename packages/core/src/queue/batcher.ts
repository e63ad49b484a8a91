interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions<T, R> {
  /** Writes a batch in one transaction; resolves with one result per item, in order. */
  many: (items: T[]) => Promise<R[]>;
  /** Writes one item alone: the fallback when its batch failed, so one bad item fails alone. */
  one: (item: T) => Promise<R>;
  maxBatch: number;
  /** Orders a batch before it is written (so every node takes locks in one order). */
  compare?: (a: T, b: T) => number;
}

/**
 * Group commit: items submitted while a commit is under way (or in the same turn of the event
 * loop) are written by the next transaction together, so N concurrent writes cost one commit (one
 * fsync on SQLite, one round trip per statement on PostgreSQL, one wake-up of the other nodes)
 * instead of N. Each caller still resolves only once its own item is committed. When a batch
 * fails (an adapter's row, a lock timeout), its items are retried one transaction each: nothing
 * good is lost and the error reaches only the caller it belongs to.
 */
export const createBatcher = <T, R>(options: BatcherOptions<T, R>): ((item: T) => Promise<R>) => {
  let waiting: Array<Waiting<T, R>> = [];
  let running = false;

  const write = async (batch: Array<Waiting<T, R>>): Promise<void> => {
    if (options.compare) batch.sort((a, b) => (options.compare as (a: T, b: T) => number)(a.item, b.item));
    if (batch.length === 1) {
      const [only] = batch as [Waiting<T, R>];
      return options.one(only.item).then(only.resolve, only.reject);
    }
    let results: R[];
    try {
      results = await options.many(batch.map((w) => w.item));
    } catch {
      await Promise.all(batch.map((w) => options.one(w.item).then(w.resolve, w.reject)));
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i] as R));
  };

  const drain = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, options.maxBatch);
      waiting = waiting.slice(batch.length);
      await write(batch);
    }
    running = false;
  };

  return (item: T): Promise<R> =>
    new Promise((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (running) return;
      running = true;
      // Items submitted in this turn of the event loop join the first batch.
      setImmediate(() => void drain());
    });
};
