// Figures of a run, each with the baseline it is compared with (measured in the same run) and
// the target it answers; written as bench/results/latest.json and latest.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { root } from './processes.mjs';

export const round = (value, digits = 3) =>
  Number(value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : digits));

/**
 * One figure. `target` is a sentence; `met` whether the figure reaches it, or null for a figure
 * reported for context only.
 */
export const figure = ({ suite, name, value, unit, baseline, baselineValue, target = '', met = null, note = '' }) => ({
  suite,
  name,
  value: round(value),
  unit,
  baseline: baseline ?? null,
  baselineValue: baselineValue === undefined ? null : round(baselineValue),
  ratio: baselineValue ? round(value / baselineValue, 2) : null,
  target,
  met,
  note,
});

const cell = (text) => String(text ?? '').replaceAll('|', '\\|');

export const writeReport = ({ figures, startedAt, seconds, errors, complete = true }) => {
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version };
  // A run of some suites only must not pass for the latest full run.
  const name = complete ? 'latest' : 'partial';
  writeFileSync(
    join(dir, `${name}.json`),
    `${JSON.stringify({ startedAt, seconds, machine, figures, errors }, null, 2)}\n`,
  );
  const lines = [
    `Run of ${startedAt} on ${machine.cpus} × ${machine.cpu}, Node.js ${machine.node}, ${Math.round(seconds)} s.`,
    '',
    '| Suite | Figure | Value | Baseline (same run) | Ratio | Target | Met |',
    '|---|---|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${cell(f.suite)} | ${cell(f.name)}${f.note ? ` (${cell(f.note)})` : ''} | ${f.value} ${cell(f.unit)} | ${f.baseline ? `${cell(f.baseline)}: ${f.baselineValue} ${cell(f.unit)}` : ''} | ${f.ratio ?? ''} | ${cell(f.target)} | ${f.met === null ? '' : f.met ? 'met' : '**missed**'} |`,
    ),
    ...(errors.length > 0 ? ['', 'Suites that failed:', ...errors.map((e) => `- ${e.suite}: ${e.message}`)] : []),
    '',
  ];
  writeFileSync(join(dir, `${name}.md`), lines.join('\n'));
  if (complete) updatePerformanceDoc(lines.join('\n'));
  return lines.join('\n');
};

/** docs/performance.md shows the latest table: it is replaced between its two markers. */
const updatePerformanceDoc = (table) => {
  const path = join(root, 'docs/performance.md');
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) return;
  writeFileSync(path, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
};
