import { useState, type FormEvent } from 'react';
import { api, type Role } from '../api';
import { CopyText } from '../parts/CopyText';
import { useResource } from '../use-resource';

interface UserRow {
  id: number;
  username: string;
  role: Role;
  createdAt: string;
}

/** Admin: the users who may sign in here and call the api-task API. */
export const UsersPage = ({ self }: { self: string }) => {
  const { data: users = [], error, run } = useResource<UserRow[]>('/users');
  const [form, setForm] = useState({ username: '', role: 'developer' as Role, password: '' });
  const [made, setMade] = useState<{ username: string; apiKey: string } | null>(null);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const user = await run(() =>
      api<UserRow & { apiKey: string }>('POST', '/users', {
        username: form.username,
        role: form.role,
        ...(form.password ? { password: form.password } : {}),
      }),
    );
    if (!user) return;
    setMade({ username: user.username, apiKey: user.apiKey });
    setForm({ username: '', role: 'developer', password: '' });
  };

  const remove = (username: string) => run(() => api('DELETE', `/users/${encodeURIComponent(username)}`));

  return (
    <section>
      <h2>Users</h2>
      {error && <p className="error">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>Id</th>
            <th>User</th>
            <th>Role</th>
            <th>Since</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.id}</td>
              <td>{u.username}</td>
              <td>{u.role}</td>
              <td>{new Date(u.createdAt).toLocaleString()}</td>
              <td>
                {u.username !== self && (
                  <button type="button" onClick={() => void remove(u.username)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="row" onSubmit={(e) => void add(e)}>
        <input
          aria-label="New user name"
          placeholder="user name"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          required
        />
        <select
          aria-label="New user role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
        >
          <option value="developer">developer</option>
          <option value="admin">admin</option>
        </select>
        <input
          aria-label="New user password"
          type="password"
          placeholder="password (optional)"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <button type="submit">Add user</button>
      </form>
      {made && <CopyText label={`API key of ${made.username} (shown once)`} value={made.apiKey} testId="new-api-key" />}
    </section>
  );
};
