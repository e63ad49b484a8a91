import { useEffect, useState } from 'react';
import { api, jobStates, type AutomationView, type JobState, type JobSummary } from '../api';
import { StateBadge } from '../parts/StateBadge';
import { durationOf, timeOf } from '../parts/time';

interface Filter {
  state: JobState | '';
  automation: string;
  adapter: string;
}

const shownJobs = 200;

const matches = (job: JobSummary, filter: Filter) =>
  (filter.state === '' || job.state === filter.state) &&
  (filter.automation === '' || job.automationId === filter.automation) &&
  (filter.adapter === '' || job.adapter === filter.adapter);

/** The jobs, kept current by the server's job events: no reload, no polling by the page. */
export const JobsPage = () => {
  const [filter, setFilter] = useState<Filter>({ state: '', automation: '', adapter: '' });
  const [jobs, setJobs] = useState<JobSummary[]>([]);
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

  useEffect(() => {
    let stopped = false;
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== '')).toString();
    const events = new EventSource('/console/api/jobs/events');
    events.onopen = () => setLive(true);
    events.onerror = () => setLive(false);
    // Changes that arrive before the first page are applied on top of it.
    let pending: JobSummary[] = [];
    let loaded = false;
    const merge = (list: JobSummary[], changed: JobSummary[]) => {
      const byId = new Map(list.map((j) => [j.id, j]));
      for (const job of changed) {
        if (matches(job, filter)) byId.set(job.id, job);
        else byId.delete(job.id);
      }
      return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, shownJobs);
    };
    events.addEventListener('jobs', (event) => {
      const changed = JSON.parse((event as MessageEvent<string>).data) as JobSummary[];
      if (!loaded) pending.push(...changed);
      else setJobs((list) => merge(list, changed));
    });
    api<JobSummary[]>('GET', `/jobs?limit=${shownJobs}${query ? `&${query}` : ''}`)
      .then((first) => {
        if (stopped) return;
        loaded = true;
        setJobs(merge(first, pending));
        pending = [];
      })
      .catch((e: Error) => setError(e.message));
    return () => {
      stopped = true;
      events.close();
    };
  }, [filter]);

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
            onChange={(e) => setFilter({ ...filter, state: e.target.value as JobState | '' })}
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
            onChange={(e) => setFilter({ ...filter, automation: e.target.value })}
          >
            <option value="">any</option>
            {automations.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Adapter
          <select
            aria-label="Adapter"
            value={filter.adapter}
            onChange={(e) => setFilter({ ...filter, adapter: e.target.value })}
          >
            <option value="">any</option>
            {adapters.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
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
    </section>
  );
};
