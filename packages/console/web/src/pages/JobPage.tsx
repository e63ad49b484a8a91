import { useEffect, useState } from 'react';
import { api, isFinal, type JobDetail, type JobFile } from '../api';
import { StateBadge } from '../parts/StateBadge';
import { durationOf, timeOf } from '../parts/time';
import { useResource } from '../use-resource';

const Files = ({ job, kind, files }: { job: JobDetail; kind: 'input' | 'output'; files: JobFile[] }) =>
  files.length === 0 ? (
    <p className="muted">none</p>
  ) : (
    <ul>
      {files.map((file) => (
        <li key={file.name}>
          <a
            href={`/console/api/jobs/${job.id}/files/${kind}/${file.name.split('/').map(encodeURIComponent).join('/')}`}
            download
          >
            {file.name}
          </a>{' '}
          <span className="muted">{file.size} bytes</span>
        </li>
      ))}
    </ul>
  );

/** One job: its variables, files and timings, and its output as it is written. */
export const JobPage = ({ id }: { id: number }) => {
  const { data: job, error, reload: load, run } = useResource<JobDetail>(`/jobs/${id}`);
  const [log, setLog] = useState('');

  useEffect(() => {
    setLog('');
    const events = new EventSource(`/console/api/jobs/${id}/log`);
    // A stream (re)opened sends the log from its start.
    events.onopen = () => setLog('');
    events.addEventListener('log', (event) => {
      const { text, live } = JSON.parse((event as MessageEvent<string>).data) as { text: string; live: boolean };
      setLog((before) => (live ? before + text : text));
    });
    events.addEventListener('end', () => {
      events.close();
      load();
    });
    // A job that is still running is read again whenever its state may have moved.
    const refresh = setInterval(load, 2000);
    return () => {
      events.close();
      clearInterval(refresh);
    };
  }, [id, load]);

  const act = async (action: 'cancel' | 'rerun') => {
    const result = await run(() => api<JobDetail>('POST', `/jobs/${id}/${action}`));
    if (result && action === 'rerun') window.location.hash = `#/jobs/${result.id}`;
  };

  if (!job) return error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>;
  return (
    <section className="job">
      <h2>
        Job #{job.id} <StateBadge state={job.state} />
      </h2>
      <p className="muted">
        {job.automationId} · by {job.adapter} · attempt {job.attempt} of {job.maxAttempts}
        {typeof job.metadata.rerunOf === 'number' && (
          <>
            {' '}
            · re-run of <a href={`#/jobs/${job.metadata.rerunOf}`}>#{job.metadata.rerunOf}</a>
          </>
        )}
      </p>
      <div className="actions">
        <button type="button" disabled={isFinal(job.state)} onClick={() => void act('cancel')}>
          Cancel
        </button>
        <button type="button" onClick={() => void act('rerun')}>
          Re-run
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {job.error && (
        <p className="error">
          {job.errorCode}: {job.error}
        </p>
      )}
      <table className="timings">
        <tbody>
          <tr>
            <th>Queued</th>
            <td>{timeOf(job.createdAt)}</td>
            <th>Waited</th>
            <td>{durationOf(job.createdAt, job.startedAt)}</td>
          </tr>
          <tr>
            <th>Started</th>
            <td>{timeOf(job.startedAt)}</td>
            <th>Ran</th>
            <td>{durationOf(job.startedAt, job.finishedAt)}</td>
          </tr>
          <tr>
            <th>Finished</th>
            <td>{timeOf(job.finishedAt)}</td>
            <th>Exit code</th>
            <td>{job.exitCode ?? '—'}</td>
          </tr>
        </tbody>
      </table>
      <div className="columns">
        <div>
          <h3>Inputs</h3>
          <pre>{JSON.stringify(job.inputs, null, 2)}</pre>
          {job.workItem !== null && (
            <>
              <h3>Work item</h3>
              <pre>{JSON.stringify(job.workItem, null, 2)}</pre>
            </>
          )}
          <h3>Input files</h3>
          <Files job={job} kind="input" files={job.inputFiles} />
        </div>
        <div>
          <h3>Outputs</h3>
          <pre>{JSON.stringify(job.outputs, null, 2)}</pre>
          <h3>Output files</h3>
          <Files job={job} kind="output" files={job.outputFiles} />
        </div>
      </div>
      {job.attempts.length > 1 && (
        <>
          <h3>Attempts</h3>
          <table className="attempts" data-testid="job-attempts">
            <thead>
              <tr>
                <th>#</th>
                <th>State</th>
                <th>Started</th>
                <th>Ended</th>
                <th>Exit code</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {job.attempts.map((attempt) => (
                <tr key={attempt.number}>
                  <td>{attempt.number}</td>
                  <td>{attempt.state}</td>
                  <td>{timeOf(attempt.startedAt)}</td>
                  <td>{timeOf(attempt.endedAt)}</td>
                  <td>{attempt.exitCode ?? '—'}</td>
                  <td title={attempt.log}>{attempt.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>Log</h3>
      <pre className="log" data-testid="job-log">
        {log || (isFinal(job.state) ? '(no output)' : '…')}
      </pre>
    </section>
  );
};
