import { useCallback, useEffect, useState } from 'react';
import { api } from './api';

/**
 * What a page reads from the console's API, its error, and `run` for the page's changes: a change
 * clears the error, shows its own if it fails, and reads the resource again if it succeeds.
 */
export const useResource = <T>(path: string) => {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState('');
  const reload = useCallback(() => {
    api<T>('GET', path)
      .then(setData)
      .catch((e: Error) => setError(e.message));
  }, [path]);
  useEffect(reload, [reload]);
  const run = useCallback(
    async <R>(change: () => Promise<R>): Promise<R | undefined> => {
      setError('');
      try {
        const result = await change();
        reload();
        return result;
      } catch (e) {
        setError((e as Error).message);
        return undefined;
      }
    },
    [reload],
  );
  return { data, error, reload, run };
};
