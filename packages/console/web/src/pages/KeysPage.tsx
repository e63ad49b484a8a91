import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { CopyText } from '../parts/CopyText';
import { useResource } from '../use-resource';

interface KeyRow {
  name: string;
  permissions: string[];
  createdAt: string;
}

// Robocorp's names, as the process-api adapter checks them.
const permissions = ['trigger_processes', 'read_runs', 'read_work_items', 'write_work_items', 'read_processes'];

/** Admin: workspace keys of the Process API (`Authorization: RC-WSKEY …`). */
export const KeysPage = () => {
  const { data: keys = [], error, run } = useResource<KeyRow[]>('/keys');
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>(['trigger_processes', 'read_runs']);
  const [made, setMade] = useState<{ name: string; key: string } | null>(null);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const key = await run(() => api<KeyRow & { key: string }>('POST', '/keys', { name, permissions: chosen }));
    if (!key) return;
    setMade({ name: key.name, key: key.key });
    setName('');
  };

  const remove = (keyName: string) => run(() => api('DELETE', `/keys/${encodeURIComponent(keyName)}`));

  return (
    <section>
      <h2>API keys</h2>
      <p className="muted">
        Workspace keys of the Process API, sent as <code>Authorization: RC-WSKEY &lt;key&gt;</code>.
      </p>
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
        <input
          aria-label="New key name"
          placeholder="key name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        {permissions.map((p) => (
          <label key={p} className="inline">
            <input
              type="checkbox"
              checked={chosen.includes(p)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, p] : chosen.filter((c) => c !== p))}
            />{' '}
            {p}
          </label>
        ))}
        <button type="submit">Add key</button>
      </form>
      {made && <CopyText label={`key ${made.name} (shown once)`} value={made.key} testId="new-workspace-key" />}
    </section>
  );
};
