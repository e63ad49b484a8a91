import { useState, type FormEvent } from 'react';
import { api, setCsrfToken, type User } from '../api';

export const LoginPage = ({ onLogin }: { onLogin: (session: { user: User; csrfToken: string }) => void }) => {
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [useKey, setUseKey] = useState(false);
  const [error, setError] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    try {
      const session = await api<{ user: User; csrfToken: string }>(
        'POST',
        '/login',
        useKey ? { username, apiKey: secret } : { username, password: secret },
      );
      setCsrfToken(session.csrfToken);
      onLogin(session);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <form className="login" onSubmit={(e) => void submit(e)}>
      <h1>botgate console</h1>
      <label>
        User name
        <input
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
      </label>
      <label>
        {useKey ? 'API key' : 'Password'}
        <input
          name="secret"
          type="password"
          autoComplete="current-password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          required
        />
      </label>
      <label className="inline">
        <input type="checkbox" checked={useKey} onChange={(e) => setUseKey(e.target.checked)} /> Sign in with an API key
      </label>
      {error && <p className="error">{error}</p>}
      <button type="submit">Sign in</button>
    </form>
  );
};
