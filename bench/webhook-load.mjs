// Robocorp's `POST …/runs` on a node that also runs the jobs (`echo`), with and without a
// completion webhook set on the process: what the webhook dispatcher's look for ended runs costs
// the trigger path while runs end at load. Two servers, measured in alternating rounds; the
// receiver answers 200 and counts what it got.
//   node bench/webhook-load.mjs [seconds=12]
import { createBotgateEnv, exposeAutomation, startBotgate } from './lib/botgate-server.mjs';
import { botgate } from './lib/processes.mjs';
import { alternate } from './lib/rounds.mjs';
import { startCountingReceiver } from './lib/counting-receiver.mjs';

const seconds = Number(process.argv[2] ?? 12);
const receiver = await startCountingReceiver('/hook');
const hook = receiver.url;

const setUp = async (withWebhook) => {
  const { env, cleanup } = createBotgateEnv();
  const routes = await exposeAutomation(env, 'echo');
  if (withWebhook) await botgate(['process-api', 'webhook', 'set', 'echo', hook], env);
  const server = await startBotgate(env);
  return { server, routes, cleanup };
};
const plain = await setUp(false);
const hooked = await setUp(true);
try {
  const body = JSON.stringify({ message: 'hello', count: 1 });
  const options = ({ server, routes }) => ({
    url: `${server.url}${routes.runsPath}`,
    connections: 16,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'robocloud-process-secret': routes.secret },
    body,
  });
  const result = await alternate({ plain: options(plain), webhook: options(hooked) }, { seconds });
  for (const [name, r] of Object.entries(result))
    console.log(
      `${name.padEnd(8)} ${Math.round(r.rps)} runs/s (rounds ${r.roundRps.join(', ')}), p50 ${r.p50} ms, p99 ${r.p99} ms`,
    );
  await new Promise((resolve) => setTimeout(resolve, 3000));
  console.log(
    `webhook deliveries received ${receiver.received()} of ${result.webhook.requests + result.webhook.warmupRequests} runs (3 s after the load)`,
  );
} finally {
  for (const { server, cleanup } of [plain, hooked]) {
    await server.stop();
    cleanup();
  }
  receiver.close();
}
