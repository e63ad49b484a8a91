import { useState, type FormEvent } from 'react';
import { api, fill, type ConsolePage } from '../api';
import { CopyText } from '../parts/CopyText';
import { useResource } from '../use-resource';

type Row = Record<string, unknown>;
type Values = Record<string, string | string[]>;

const initialOf = (page: ConsolePage): Values =>
  Object.fromEntries(
    (page.add?.fields ?? []).map((f) => [
      f.name,
      f.initial ?? (f.kind === 'choices' ? [] : f.kind === 'select' ? (f.options?.[0] ?? '') : ''),
    ]),
  );

const cell = (value: unknown, format: 'time' | 'list' | undefined): string => {
  if (format === 'time') return new Date(String(value)).toLocaleString();
  if (format === 'list' && Array.isArray(value)) return value.join(', ');
  return String(value ?? '');
};

/** An adapter's page: a table of what it keeps, a form to add one (its secret shown once) and a way to remove one. */
export const PanelPageView = ({ page, self }: { page: ConsolePage; self: string }) => {
  const { data: rows = [], error, run } = useResource<Row[]>(page.list.path);
  const [values, setValues] = useState<Values>(() => initialOf(page));
  const [made, setMade] = useState<{ label: string; value: string } | null>(null);
  const { add, remove } = page;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!add) return;
    // An optional field left empty is not sent: the adapter's default applies.
    const body = Object.fromEntries(
      add.fields
        .filter((f) => f.required || f.kind === 'choices' || values[f.name] !== '')
        .map((f) => [f.name, values[f.name]]),
    );
    const answer = await run(() => api<Row>('POST', add.path, body));
    if (!answer) return;
    setMade({ label: fill(add.shows.label, answer), value: String(answer[add.shows.field] ?? '') });
    setValues(initialOf(page));
  };

  return (
    <section>
      <h2>{page.title}</h2>
      {page.intro && <p className="muted">{page.intro}</p>}
      {error && <p className="error">{error}</p>}
      <table>
        <thead>
          <tr>
            {page.list.columns.map((c) => (
              <th key={c.field}>{c.label}</th>
            ))}
            {remove && <th />}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={String(row[page.list.key])}>
              {page.list.columns.map((c) => (
                <td key={c.field}>{cell(row[c.field], c.format)}</td>
              ))}
              {remove && (
                <td>
                  {(!remove.notSelf || row[remove.notSelf] !== self) && (
                    <button type="button" onClick={() => void run(() => api('DELETE', fill(remove.path, row, true)))}>
                      {remove.label}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {add && (
        <form className="row" onSubmit={(e) => void submit(e)}>
          {add.fields.map((f) => {
            const value = values[f.name];
            if (f.kind === 'select')
              return (
                <select
                  key={f.name}
                  aria-label={f.label}
                  value={String(value)}
                  onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                >
                  {f.options?.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              );
            if (f.kind === 'choices') {
              const chosen = Array.isArray(value) ? value : [];
              return f.options?.map((o) => (
                <label key={`${f.name}-${o}`} className="inline">
                  <input
                    type="checkbox"
                    checked={chosen.includes(o)}
                    onChange={(e) =>
                      setValues({
                        ...values,
                        [f.name]: e.target.checked ? [...chosen, o] : chosen.filter((c) => c !== o),
                      })
                    }
                  />{' '}
                  {o}
                </label>
              ));
            }
            return (
              <input
                key={f.name}
                aria-label={f.label}
                type={f.kind === 'password' ? 'password' : 'text'}
                placeholder={f.placeholder}
                required={f.required}
                value={String(value ?? '')}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              />
            );
          })}
          <button type="submit">{add.submit}</button>
        </form>
      )}
      {made && <CopyText label={made.label} value={made.value} testId={add?.shows.testId} />}
    </section>
  );
};
