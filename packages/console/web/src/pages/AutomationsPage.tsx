import type { AutomationView } from '../api';
import { PanelCardView } from '../parts/PanelCardView';
import { useResource } from '../use-resource';

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

export const AutomationsPage = () => {
  const { data: automations = [], error, run } = useResource<AutomationView[]>('/automations');
  return (
    <section>
      <h2>Automations</h2>
      {error && <p className="error">{error}</p>}
      {automations.map((a) => (
        <article key={a.id} className="automation" data-testid={`automation-${a.id}`}>
          <header>
            <h3>{a.name}</h3>
            <a className="button" href={`#/automations/${encodeURIComponent(a.id)}/run`}>
              Run
            </a>
            <span className="muted">
              {a.id} · {a.kind} · fileId {a.fileId} · {a.repositoryPath}
            </span>
          </header>
          {a.description && <p>{a.description}</p>}
          <Variables automation={a} />
          <div className="exposures">
            {a.cards.map((card) => (
              <PanelCardView key={card.section} card={card} run={run} />
            ))}
          </div>
        </article>
      ))}
    </section>
  );
};
