import { useEffect, useState } from 'react';
import { api, jobStates, type AutomationView, type JobState, type JobSummary } from '../api';
import { StateBadge } from '../parts/StateBadge';
import { durationOf, timeOf } from '../parts/time';

interface Filter {
  state: JobState | '';
  automation: string;
  adapter: string;
  /** A job id. */
  id: string;
  /** Text in the inputs. */
  q: string;
  /** `datetime-local` values: local time, no zone. */
  from: string;
  to: string;
}

const shownJobs = 100;
const noFilter: Filter = { state: '', automation: '', adapter: '', id: '', q: '', from: '', to: '' };

const matches = (job: JobSummary, filter: Filter) =>
  (filter.state === '' || job.state === filter.state) &&
  (filter.automation === '' || job.automationId === filter.automation) &&
  (filter.adapter === '' || job.adapter === filter.adapter);

/** The filter's text fields, as the page draws them. */
const searchFields: Array<{
  key: 'id' | 'q' | 'from' | 'to';
  title: string;
  label: string;
  type?: string;
  inputMode?: 'numeric';
  size?: number;
  placeholder?: string;
}> = [
  { key: 'id', title: 'Job', label: 'Job id', inputMode: 'numeric', size: 6 },
  { key: 'q', title: 'Inputs', label: 'Input contains', placeholder: 'text in the inputs' },
  { key: 'from', title: 'From', label: 'Created from', type: 'datetime-local' },
  { key: 'to', title: 'To', label: 'Created before', type: 'datetime-local' },
];

/** The filter as the API's query: times as ISO 8601 in UTC. */
const queryOf = (filter: Filter, before: number | undefined): string => {
  const params = new URLSearchParams({ limit: String(shownJobs) });
  for (const key of ['state', 'automation', 'adapter', 'id', 'q'] as const)
    if (filter[key].trim() !== '') params.set(key, filter[key].trim());
  for (const key of ['from', 'to'] as const) if (filter[key]) params.set(key, new Date(filter[key]).toISOString());
  if (before !== undefined) params.set('before', String(before));
  return params.toString();
};

/** The jobs, kept current by the server's job events: no reload, no polling by the page. */
export const JobsPage = () => {
  const [filter, setFilter] = useState<Filter>(noFilter);
  // The pages seen before this one (each one's `before`): Newer goes back one.
  const [cursors, setCursors] = useState<Array<number | undefined>>([undefined]);
  const before = cursors.at(-1);
  const [jobs, setJobs] = useState<JobSummary[]>([]);
  const [more, setMore] = useState(false);
  const [automations, setAutomations] = useState<string[]>([]);
  const [adapters, setAdapters] = useState<string[]>([]);
  const [live, setLive] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    api<AutomationView[]>('GET', '/automations')
      .then((list) => setAutomations(list.map((a) => a.id)))
      .catch(() => {});
    api<string[]>('GET', '/origins')
      .then(setAdapters)
      .catch(() => {});
  }, []);

  const change = (next: Partial<Filter>) => {
    setFilter({ ...filter, ...next });
    setCursors([undefined]);
  };

  useEffect(() => {
    let stopped = false;
    const query = queryOf(filter, before);
    // New jobs join only the first page of a filter the page can check itself; others are only updated.
    const takesNew = before === undefined && !filter.id && !filter.q && !filter.from && !filter.to;
    const events = new EventSource('/console/api/jobs/events');
    events.onopen = () => setLive(true);
    events.onerror = () => setLive(false);
    // Changes that arrive before the first page are applied on top of it.
    let pending: JobSummary[] = [];
    let loaded = false;
    const merge = (list: JobSummary[], changed: JobSummary[]) => {
      const byId = new Map(list.map((j) => [j.id, j]));
      for (const job of changed) {
        if (!matches(job, filter)) byId.delete(job.id);
        else if (takesNew || byId.has(job.id)) byId.set(job.id, job);
      }
      return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, shownJobs);
    };
    events.addEventListener('jobs', (event) => {
      const changed = JSON.parse((event as MessageEvent<string>).data) as JobSummary[];
      if (!loaded) pending.push(...changed);
      else setJobs((list) => merge(list, changed));
    });
    api<JobSummary[]>('GET', `/jobs?${query}`)
      .then((first) => {
        if (stopped) return;
        loaded = true;
        setError('');
        setMore(first.length === shownJobs);
        setJobs(merge(first, pending));
        pending = [];
      })
      .catch((e: Error) => setError(e.message));
    return () => {
      stopped = true;
      events.close();
    };
  }, [filter, before]);

  return (
    <section>
      <h2>
        Jobs <span className={live ? 'live on' : 'live'}>{live ? 'live' : 'connecting…'}</span>
      </h2>
      <div className="filters">
        <label>
          State
          <select
            aria-label="State"
            value={filter.state}
            onChange={(e) => change({ state: e.target.value as JobState | '' })}
          >
            <option value="">any</option>
            {jobStates.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Automation
          <select
            aria-label="Automation"
            value={filter.automation}
            onChange={(e) => change({ automation: e.target.value })}
          >
            <option value="">any</option>
            {automations.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Adapter
          <select aria-label="Adapter" value={filter.adapter} onChange={(e) => change({ adapter: e.target.value })}>
            <option value="">any</option>
            {adapters.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        {searchFields.map(({ key, title, label, ...input }) => (
          <label key={key}>
            {title}
            <input
              aria-label={label}
              {...input}
              value={filter[key]}
              onChange={(e) => change({ [key]: e.target.value })}
            />
          </label>
        ))}
      </div>
      {error && <p className="error">{error}</p>}
      <table className="jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th>Automation</th>
            <th>Adapter</th>
            <th>State</th>
            <th>Queued</th>
            <th>Ran</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id} data-testid={`job-${job.id}`} data-state={job.state}>
              <td>
                <a href={`#/jobs/${job.id}`}>#{job.id}</a>
              </td>
              <td>{job.automationId}</td>
              <td>{job.adapter}</td>
              <td>
                <StateBadge state={job.state} />
              </td>
              <td>{timeOf(job.createdAt)}</td>
              <td>{durationOf(job.startedAt, job.finishedAt)}</td>
              <td className="error-cell">{job.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {jobs.length === 0 && <p className="muted">No jobs match.</p>}
      <div className="row">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button type="button" disabled={!more} onClick={() => setCursors([...cursors, jobs.at(-1)?.id])}>
          Older
        </button>
        {cursors.length > 1 && <span className="muted">page {cursors.length}</span>}
      </div>
    </section>
  );
};
