import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';

type DeliveryState = 'pending' | 'delivered' | 'failed';

interface Delivery {
  adapter: string;
  what: string;
  id: string;
  url: string;
  state: DeliveryState;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

interface Attempt {
  attempt: number;
  at: number;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** Drawn as the job states of the same meaning. */
const stateClass: Record<DeliveryState, string> = { pending: 'queued', delivered: 'succeeded', failed: 'failed' };

const time = (at: number | null) => (at === null ? '–' : new Date(at).toLocaleString());

/** The attempts at one delivery, oldest first. */
const Attempts = ({ delivery }: { delivery: Delivery }) => {
  const [attempts, setAttempts] = useState<Attempt[] | null>(null);
  useEffect(() => {
    api<{ attemptLog: Attempt[] }>('GET', `/deliveries/${delivery.adapter}/${encodeURIComponent(delivery.id)}`)
      .then((d) => setAttempts(d.attemptLog))
      .catch(() => setAttempts([]));
  }, [delivery]);
  if (!attempts) return <p className="muted">Loading…</p>;
  if (attempts.length === 0) return <p className="muted">Not tried yet.</p>;
  return (
    <table data-testid={`attempts-${delivery.id}`}>
      <thead>
        <tr>
          <th>#</th>
          <th>At</th>
          <th>Status</th>
          <th>Took</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((a) => (
          <tr key={a.attempt}>
            <td>{a.attempt}</td>
            <td>{time(a.at)}</td>
            <td>{a.status ?? '–'}</td>
            <td>{a.durationMs} ms</td>
            <td>{a.error ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

/** What the adapters sent out (webhooks, deploy callbacks): each one's attempts, its next try, and Redeliver. */
export const DeliveriesPage = ({ isAdmin }: { isAdmin: boolean }) => {
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [state, setState] = useState<DeliveryState | ''>('');
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState('');

  const load = useCallback(
    () =>
      api<Delivery[]>('GET', `/deliveries${state ? `?state=${state}` : ''}`)
        .then((list) => {
          setDeliveries(list);
          setError('');
        })
        .catch((e: Error) => setError(e.message)),
    [state],
  );
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, [load]);

  const again = async (delivery: Delivery) => {
    try {
      await api('POST', `/deliveries/${delivery.adapter}/${encodeURIComponent(delivery.id)}/redeliver`);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section>
      <h2>Deliveries</h2>
      <p className="muted">
        Webhooks and deploy callbacks, newest first. A failed attempt is tried again later, waiting twice as long each
        time; one given up is <em>failed</em>.
      </p>
      <div className="row">
        <label>
          State{' '}
          <select value={state} onChange={(e) => setState(e.target.value as DeliveryState | '')}>
            <option value="">any</option>
            <option value="pending">pending</option>
            <option value="delivered">delivered</option>
            <option value="failed">failed</option>
          </select>
        </label>
      </div>
      {error && <p className="error">{error}</p>}
      {!deliveries ? (
        <p className="muted">Loading…</p>
      ) : deliveries.length === 0 ? (
        <p className="muted">Nothing sent yet.</p>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th>Created</th>
                <th>Adapter</th>
                <th>What</th>
                <th>URL</th>
                <th>State</th>
                <th>Attempts</th>
                <th>Last status</th>
                <th>Next try</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={`${d.adapter}/${d.id}`} data-testid={`delivery-${d.id}`}>
                  <td>{time(d.createdAt)}</td>
                  <td>{d.adapter}</td>
                  <td>{d.what}</td>
                  <td className="url">{d.url}</td>
                  <td>
                    <span className={`state state-${stateClass[d.state]}`}>{d.state}</span>
                  </td>
                  <td>
                    <button type="button" className="link" onClick={() => setOpen(open === d.id ? null : d.id)}>
                      {d.attempts}
                    </button>
                  </td>
                  <td title={d.lastError ?? ''}>{d.lastStatus ?? (d.lastError ? 'no answer' : '–')}</td>
                  <td>{time(d.nextAttemptAt)}</td>
                  <td>
                    {isAdmin && (
                      <button type="button" onClick={() => void again(d)}>
                        Redeliver
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deliveries
        ?.filter((d) => d.id === open)
        .map((d) => (
          <div key={d.id}>
            <h3>
              Attempts at {d.what} {d.id}
            </h3>
            <Attempts delivery={d} />
          </div>
        ))}
    </section>
  );
};
