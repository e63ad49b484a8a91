import { useState } from 'react';
import { api, fill, type AutomationCard } from '../api';
import { CopyText } from './CopyText';

type Shown = { label: string; value: string; testId?: string }[];

/**
 * An adapter's part of an automation, drawn from its card: its state, its values, its actions.
 * What an action's answer shows (a secret, a token) stays in this card's memory only, until its
 * next action; a failed action keeps it.
 */
export const PanelCardView = ({
  card,
  run,
}: {
  card: AutomationCard;
  run: <R>(change: () => Promise<R>) => Promise<R | undefined>;
}) => {
  const [shown, setShown] = useState<Shown>([]);
  const [numbers, setNumbers] = useState<Record<string, number>>({});

  const act = async (action: AutomationCard['actions'][number]) => {
    const body = action.number && { [action.number.field]: numbers[action.number.field] ?? action.number.value };
    const result = await run(async () => ({
      answer: await api<Record<string, unknown>>(action.method, action.path, body),
    }));
    if (!result) return;
    const answer = result.answer ?? {};
    setShown(
      (action.shows ?? []).map((s) => ({
        label: fill(s.label, answer),
        value: String(answer[s.field] ?? ''),
        ...(s.testId ? { testId: s.testId } : {}),
      })),
    );
  };

  return (
    <div className="exposure" data-section={card.section}>
      <h4>{card.title}</h4>
      {card.notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
      {[...card.values, ...shown].map((value) => (
        <CopyText key={value.label} {...value} />
      ))}
      {card.actions.map((action) => {
        const { number } = action;
        if (!number)
          return (
            <button type="button" key={action.label} onClick={() => void act(action)}>
              {action.label}
            </button>
          );
        return (
          <div className="row" key={action.label}>
            <label className="inline">
              {number.label}
              <input
                type="number"
                min={number.min}
                max={number.max}
                value={numbers[number.field] ?? number.value}
                aria-label={number.ariaLabel}
                onChange={(e) => setNumbers({ ...numbers, [number.field]: Number(e.target.value) })}
              />
            </label>
            <button type="button" onClick={() => void act(action)}>
              {action.label}
            </button>
          </div>
        );
      })}
    </div>
  );
};
