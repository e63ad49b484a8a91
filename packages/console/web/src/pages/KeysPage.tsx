import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { CopyText } from '../parts/CopyText';

interface KeyRow {
  name: string;
  permissions: string[];
  createdAt: string;
}

const permissions = ['trigger_processes', 'read_runs', 'read_work_items'];

/** Admin: workspace keys of the Process API (`Authorization: RC-WSKEY …`). */
export const KeysPage = () => {
  const [keys, setKeys] = useState<KeyRow[]>([]);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>(['trigger_processes', 'read_runs']);
  const [made, setMade] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState('');

  const load = useCallback(() => {
    api<KeyRow[]>('GET', '/keys')
      .then(setKeys)
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load]);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    try {
      const key = await api<KeyRow & { key: string }>('POST', '/keys', { name, permissions: chosen });
      setMade({ name: key.name, key: key.key });
      setName('');
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const remove = async (keyName: string) => {
    setError('');
    try {
      await api('DELETE', `/keys/${encodeURIComponent(keyName)}`);
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section>
      <h2>API keys</h2>
      <p className="muted">Workspace keys of the Process API, sent as <code>Authorization: RC-WSKEY &lt;key&gt;</code>.</p>
      {error && <p className="error">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Permissions</th>
            <th>Since</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.name}>
              <td>{k.name}</td>
              <td>{k.permissions.join(', ')}</td>
              <td>{new Date(k.createdAt).toLocaleString()}</td>
              <td>
                <button type="button" onClick={() => void remove(k.name)}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="row" onSubmit={(e) => void add(e)}>
        <input aria-label="New key name" placeholder="key name" value={name} onChange={(e) => setName(e.target.value)} required />
        {permissions.map((p) => (
          <label key={p} className="inline">
            <input type="checkbox" checked={chosen.includes(p)} onChange={(e) => setChosen(e.target.checked ? [...chosen, p] : chosen.filter((c) => c !== p))} /> {p}
          </label>
        ))}
        <button type="submit">Add key</button>
      </form>
      {made && <CopyText label={`key ${made.name} (shown once)`} value={made.key} testId="new-workspace-key" />}
    </section>
  );
};
