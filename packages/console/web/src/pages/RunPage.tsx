import { useState, type FormEvent } from 'react';
import { apiForm, type AutomationView, type JobSummary } from '../api';
import { useResource } from '../use-resource';

type Input = AutomationView['inputs'][string];

/** Structured values are typed as JSON text, as the CLI's `--input` takes them. */
const jsonTypes = new Set(['LIST', 'DICTIONARY', 'TABLE', 'RECORD']);

const hintOf = (input: Input): string =>
  input.default === undefined
    ? ''
    : `default ${typeof input.default === 'string' ? input.default : JSON.stringify(input.default)}`;

/** One input's field, drawn by its declared type. */
const Field = ({ name, input }: { name: string; input: Input }) => {
  const label = `${name}${input.required ? ' *' : ''}`;
  const common = { name, 'aria-label': name, required: input.required === true, placeholder: hintOf(input) };
  let control;
  if (input.type === 'NUMBER') control = <input {...common} type="number" step="any" />;
  else if (input.type === 'BOOLEAN')
    control = (
      <select name={name} aria-label={name} required={input.required === true} defaultValue="">
        <option value="">{input.required ? 'choose' : hintOf(input) || 'not given'}</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  else if (input.type === 'DATETIME') control = <input {...common} type="datetime-local" step="1" />;
  else if (input.type === 'FILE')
    control = <input name={name} aria-label={name} type="file" required={input.required === true} />;
  else if (jsonTypes.has(input.type))
    control = (
      <textarea
        {...common}
        rows={3}
        placeholder={hintOf(input) || (input.type === 'LIST' ? '["a", 1]' : '{"key": "value"}')}
      />
    );
  else control = <input {...common} type="text" />;
  return (
    <label className="field">
      <span>
        {label} <span className="muted">{input.type}</span>
      </span>
      {control}
    </label>
  );
};

/**
 * The form of an automation's declared inputs (typed fields, files), which queues a job and opens
 * it. An empty optional field is not sent, so its default applies.
 */
export const RunPage = ({ id }: { id: string }) => {
  const { data: automations, error: loadError } = useResource<AutomationView[]>('/automations');
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);
  const automation = automations?.find((a) => a.id === id);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!automation) return;
    const given = new FormData(event.currentTarget);
    const form = new FormData();
    for (const [name, input] of Object.entries(automation.inputs)) {
      const value = given.get(name);
      if (input.type === 'FILE') {
        // The file goes to the working folder; the input is its name there.
        if (value instanceof File && value.name) {
          form.append('files', value, value.name);
          form.append(name, value.name);
        }
      } else if (typeof value === 'string' && value !== '')
        form.append(name, input.type === 'DATETIME' ? new Date(value).toISOString() : value);
    }
    for (const file of given.getAll('files'))
      if (file instanceof File && file.name) form.append('files', file, file.name);
    setSending(true);
    setError('');
    try {
      const job = await apiForm<JobSummary>(`/automations/${encodeURIComponent(id)}/run`, form);
      window.location.hash = `#/jobs/${job.id}`;
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSending(false);
    }
  };

  if (!automations) return loadError ? <p className="error">{loadError}</p> : <p className="muted">Loading…</p>;
  if (!automation) return <p className="error">No automation {id}.</p>;
  const inputs = Object.entries(automation.inputs);
  return (
    <section>
      <h2>Run {automation.name}</h2>
      <p className="muted">
        {automation.id} · {automation.kind}
        {automation.description ? ` · ${automation.description}` : ''}
      </p>
      <form className="run" onSubmit={(e) => void submit(e)}>
        {inputs.length === 0 && <p className="muted">It declares no inputs.</p>}
        {inputs.map(([name, input]) => (
          <Field key={name} name={name} input={input} />
        ))}
        <label className="field">
          <span>
            Files <span className="muted">for its working folder</span>
          </span>
          <input name="files" aria-label="Files" type="file" multiple />
        </label>
        {error && <p className="error">{error}</p>}
        <button type="submit" disabled={sending}>
          {sending ? 'Queueing…' : 'Run'}
        </button>
      </form>
    </section>
  );
};
