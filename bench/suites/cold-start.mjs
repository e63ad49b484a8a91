// Cold start: from exec to listening, `botgate serve` on an already migrated, empty SQLite
// database, against `node -e ""` (the runtime's own start). Medians of several starts.
import { spawnSync } from 'node:child_process';
import { createBotgateEnv, startBotgate } from '../lib/botgate-server.mjs';
import { botgate } from '../lib/processes.mjs';
import { figure } from '../lib/report.mjs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export default async function coldStart() {
  const node = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '']);
    node.push(performance.now() - t0);
  }
  const { env, cleanup } = createBotgateEnv();
  const starts = [];
  try {
    await botgate(['automations', 'list'], env);
    for (let i = 0; i < 7; i++) {
      const server = await startBotgate(env);
      starts.push(server.startMs);
      await server.stop();
    }
  } finally {
    cleanup();
  }
  return [
    figure({
      suite: '7. cold start',
      name: 'botgate serve, exec → listening',
      value: median(starts),
      unit: 'ms',
      baseline: 'node -e ""',
      baselineValue: median(node),
      target: '≤ 3 × node -e ""',
      met: median(starts) <= 3 * median(node),
    }),
  ];
}
