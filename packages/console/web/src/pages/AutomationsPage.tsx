import { useState } from 'react';
import { api, type AutomationView } from '../api';
import { CopyText } from '../parts/CopyText';
import { useResource } from '../use-resource';

type Shown = Record<string, { label: string; value: string; testId: string }[]>;

const Variables = ({ automation }: { automation: AutomationView }) => (
  <div className="variables">
    <div>
      <h4>Inputs</h4>
      {Object.keys(automation.inputs).length === 0 ? (
        <p className="muted">none declared</p>
      ) : (
        <ul>
          {Object.entries(automation.inputs).map(([name, input]) => (
            <li key={name}>
              <code>{name}</code> {input.type}
              {input.required ? ' (required)' : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
    <div>
      <h4>Outputs</h4>
      {Object.keys(automation.outputs).length === 0 ? (
        <p className="muted">none declared</p>
      ) : (
        <ul>
          {Object.entries(automation.outputs).map(([name, type]) => (
            <li key={name}>
              <code>{name}</code> {type}
            </li>
          ))}
        </ul>
      )}
    </div>
  </div>
);

export const AutomationsPage = ({ isAdmin }: { isAdmin: boolean }) => {
  const { data: automations = [], error, run } = useResource<AutomationView[]>('/automations');
  // Secrets and tokens are shown once, right after they are made, and kept only in this page's memory.
  const [shown, setShown] = useState<Shown>({});
  const [limits, setLimits] = useState<Record<string, number>>({});

  const act = async (key: string, action: () => Promise<Shown[string] | undefined>) => {
    // A failed change keeps what was shown; a change that shows nothing clears it.
    const result = await run(async () => ({ shown: await action() }));
    if (!result) return;
    setShown((before) => {
      const next = { ...before };
      if (result.shown) next[key] = result.shown;
      else delete next[key];
      return next;
    });
  };

  return (
    <section>
      <h2>Automations</h2>
      {error && <p className="error">{error}</p>}
      {automations.map((a) => {
        const id = encodeURIComponent(a.id);
        const limit = limits[a.id] ?? a.apiTask?.concurrencyLimit ?? 1;
        return (
          <article key={a.id} className="automation" data-testid={`automation-${a.id}`}>
            <header>
              <h3>{a.name}</h3>
              <span className="muted">
                {a.id} · {a.kind} · fileId {a.fileId} · {a.repositoryPath}
              </span>
            </header>
            {a.description && <p>{a.description}</p>}
            <Variables automation={a} />
            <div className="exposures">
              <div className="exposure">
                <h4>EMILY local API</h4>
                {a.localApi ? (
                  <>
                    <CopyText label="uuid" value={a.localApi.uuid} testId={`uuid-${a.id}`} />
                    <CopyText label="curl" value={a.localApi.curl} testId={`local-curl-${a.id}`} />
                    <button
                      type="button"
                      onClick={() =>
                        void act(
                          `local-${a.id}`,
                          async () => void (await api('DELETE', `/automations/${id}/local-api`)),
                        )
                      }
                    >
                      Remove from API
                    </button>
                  </>
                ) : (
                  <button
                    type="button"
                    onClick={() =>
                      void act(`local-${a.id}`, async () => void (await api('POST', `/automations/${id}/local-api`)))
                    }
                  >
                    Add to API
                  </button>
                )}
              </div>
              <div className="exposure">
                <h4>Robocorp Process API</h4>
                <p className="muted">
                  process {a.processApi.processId ?? '—'} · {a.processApi.hasSecret ? 'secret set' : 'no secret'}
                </p>
                {shown[`secret-${a.id}`]?.map((s) => (
                  <CopyText key={s.label} {...s} />
                ))}
                <button
                  type="button"
                  onClick={() =>
                    void act(`secret-${a.id}`, async () => {
                      const made = await api<{ secret: string; curl: string }>(
                        'POST',
                        `/automations/${id}/process-api/secret`,
                      );
                      return [
                        { label: 'secret (shown once)', value: made.secret, testId: `secret-${a.id}` },
                        { label: 'curl', value: made.curl, testId: `secret-curl-${a.id}` },
                      ];
                    })
                  }
                >
                  {a.processApi.hasSecret ? 'Rotate secret' : 'Generate secret'}
                </button>
                {a.processApi.hasSecret && (
                  <button
                    type="button"
                    onClick={() =>
                      void act(
                        `secret-${a.id}`,
                        async () => void (await api('DELETE', `/automations/${id}/process-api/secret`)),
                      )
                    }
                  >
                    Delete secret
                  </button>
                )}
              </div>
              <div className="exposure">
                <h4>Automation Anywhere API Task</h4>
                <p className="muted">
                  {a.apiTask ? `allocated, concurrency limit ${a.apiTask.concurrencyLimit}` : 'not allocated'}
                </p>
                {isAdmin && (
                  <div className="row">
                    <label className="inline">
                      Concurrency limit
                      <input
                        type="number"
                        min={1}
                        value={limit}
                        aria-label={`Concurrency limit of ${a.id}`}
                        onChange={(e) => setLimits({ ...limits, [a.id]: Number(e.target.value) })}
                      />
                    </label>
                    <button
                      type="button"
                      onClick={() =>
                        void act(
                          `access-${a.id}`,
                          async () =>
                            void (await api('PUT', `/automations/${id}/api-task`, { concurrencyLimit: limit })),
                        )
                      }
                    >
                      {a.apiTask ? 'Change limit' : 'Allocate'}
                    </button>
                  </div>
                )}
                {a.apiTask && (
                  <button
                    type="button"
                    onClick={() =>
                      void act(`access-${a.id}`, async () => {
                        const access = await api<{ url: string; token: string; curl: string }>(
                          'POST',
                          `/automations/${id}/api-task/access`,
                        );
                        return [
                          { label: 'URL', value: access.url, testId: `exec-url-${a.id}` },
                          { label: 'X-Authorization', value: access.token, testId: `exec-token-${a.id}` },
                          { label: 'curl', value: access.curl, testId: `exec-curl-${a.id}` },
                        ];
                      })
                    }
                  >
                    Generate URL and token
                  </button>
                )}
                {shown[`access-${a.id}`]?.map((s) => (
                  <CopyText key={s.label} {...s} />
                ))}
              </div>
            </div>
          </article>
        );
      })}
    </section>
  );
};
