// 5. Command runner overhead: a `/bin/true` command automation from enqueue to succeeded on one
// node (working folder, process group, logs, outputs, two commits), against a bare
// `child_process.spawn` of `/bin/true` to its exit, both in the same child process.
import { join } from 'node:path';
import { childJson } from '../lib/child-json.mjs';
import { root } from '../lib/processes.mjs';
import { figure } from '../lib/report.mjs';

export default async function commandRunner() {
  const result = await childJson(join(root, 'bench/workers/command-runner.mjs'), { runs: 300 });
  const suite = '5. command runner';
  return [
    figure({
      suite,
      name: '/bin/true automation, enqueue → succeeded p50',
      value: result.oursP50,
      unit: 'ms',
      baseline: 'child_process.spawn to exit',
      baselineValue: result.spawnP50,
      target: '≤ spawn + 1 ms',
      met: result.oursP50 <= result.spawnP50 + 1,
    }),
    figure({
      suite,
      name: '/bin/true automation, enqueue → succeeded p99',
      value: result.oursP99,
      unit: 'ms',
      baseline: 'child_process.spawn to exit',
      baselineValue: result.spawnP99,
    }),
  ];
}
