// Automation Anywhere's real-time `POST …/execute` of `echo` at 50 clients on a node that has
// called back `deploys` earlier deploys (`v3/automations/deploy` with `callbackInfo`), against the
// same on a node with none: what the deploy callbacks' look for ended runs costs the execute
// path, which ends an api-task job at every run. Two servers, alternating rounds.
//   node bench/callback-load.mjs [deploys=5000] [seconds=12]
import { allocateApiTasks, createBotgateEnv, startBotgate } from './lib/botgate-server.mjs';
import { alternate } from './lib/rounds.mjs';
import { startCountingReceiver } from './lib/counting-receiver.mjs';

const deploys = Number(process.argv[2] ?? 5000);
const seconds = Number(process.argv[3] ?? 12);
const receiver = await startCountingReceiver('/aa');
const callbackUrl = receiver.url;

const post = async (url, body, headers = {}) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
};

const setUp = async (history) => {
  const { env, cleanup } = createBotgateEnv();
  const server = await startBotgate(env);
  const access = await allocateApiTasks(server, env, ['echo'], 64);
  if (history > 0) {
    const { token } = await post(`${server.url}/v1/authentication`, {
      username: 'bench',
      password: 'bench-password-1',
    });
    const headers = { 'x-authorization': token };
    const [runAs] = (await post(`${server.url}/v1/devices/runasusers/list`, {}, headers)).list;
    const [file] = (
      await post(
        `${server.url}/v2/repository/workspaces/public/files/list`,
        { filter: { operator: 'eq', field: 'name', value: 'echo' } },
        headers,
      )
    ).list;
    const deploy = () =>
      post(
        `${server.url}/v3/automations/deploy`,
        {
          fileId: Number(file.id),
          runAsUserIds: [Number(runAs.id)],
          botInput: { message: { type: 'STRING', string: 'history' } },
          callbackInfo: { url: callbackUrl },
        },
        headers,
      );
    const t0 = performance.now();
    for (let made = 0; made < history; made += 50) await Promise.all(Array.from({ length: 50 }, deploy));
    while (receiver.received() < history) await new Promise((resolve) => setTimeout(resolve, 200));
    console.log(`${history} deploys made and called back in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { server, access, cleanup };
};
const fresh = await setUp(0);
const called = await setUp(deploys);
try {
  const body = JSON.stringify({ botInput: { message: { type: 'STRING', string: 'hello' } } });
  const options = ({ access }) => ({
    url: access.echo.url,
    connections: 50,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...access.echo.headers },
    body,
  });
  const result = await alternate({ none: options(fresh), [deploys]: options(called) }, { seconds });
  for (const [name, r] of Object.entries(result))
    console.log(
      `${`${name} called back`.padEnd(18)} ${Math.round(r.rps)} req/s (rounds ${r.roundRps.join(', ')}), p50 ${r.p50} ms, p99 ${r.p99} ms`,
    );
} finally {
  for (const { server, cleanup } of [fresh, called]) {
    await server.stop();
    cleanup();
  }
  receiver.close();
}
