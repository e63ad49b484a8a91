import { documented, waitFor } from '@botgate/testing';
import { describe, it } from 'vitest';
import { uipathContract } from '../src/index.js';
import { startUipath } from './helpers.js';
import { requestToken } from './token.js';

describe('uipath answers and their documented schemas', () => {
  it('answers what its OpenAPI document says, route by route', async () => {
    const server = await startUipath();
    await server.command(['users', 'add', 'ops'], { role: 'admin', password: 'ops-password-1' });
    const app = await server.command<{ clientId: string; clientSecret: string }>(['uipath', 'app', 'add', 'docs']);
    await server.command(['uipath', 'publish', 'echo']);
    const u = uipathContract;
    {
      const signedIn = (await documented(
        await fetch(`${server.url}/api/Account/Authenticate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tenancyName: 'Default', usernameOrEmailAddress: 'ops', password: 'ops-password-1' }),
        }),
        u.authenticate.responses[200].schema,
      )) as { result: string };
      await documented(
        await requestToken(server.url, {
          grant_type: 'client_credentials',
          client_id: app.clientId,
          client_secret: app.clientSecret,
        }),
        u.token.responses[200].schema,
      );
      await documented(await requestToken(server.url, { grant_type: 'password' }), u.token.responses[400].schema);
      const headers = { authorization: `Bearer ${signedIn.result}`, 'content-type': 'application/json' };
      const releases = (await documented(
        await fetch(`${server.url}/odata/Releases?$count=true`, { headers }),
        u.releases.responses[200].schema,
      )) as { value: Array<{ Key: string; Id: number }> };
      const release = releases.value[0] as { Key: string; Id: number };
      await documented(
        await fetch(`${server.url}/odata/Releases(${release.Id})`, { headers }),
        u.release.responses[200].schema,
      );
      const started = (await documented(
        await fetch(`${server.url}/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ startInfo: { ReleaseKey: release.Key, InputArguments: '{"message":"documented"}' } }),
        }),
        u.startJobs.responses[201].schema,
      )) as { value: Array<{ Id: number }> };
      const id = started.value[0]?.Id as number;
      await waitFor(
        'the job to end',
        async () =>
          ((await (await fetch(`${server.url}/odata/Jobs(${id})`, { headers })).json()) as { State: string }).State ===
            'Successful' || undefined,
      );
      await documented(await fetch(`${server.url}/odata/Jobs(${id})`, { headers }), u.job.responses[200].schema);
      await documented(
        await fetch(`${server.url}/odata/Jobs?$select=Id,State`, { headers }),
        u.jobs.responses[200].schema,
      );
      await documented(await fetch(`${server.url}/odata/Jobs(999)`, { headers }), u.job.responses[404].schema);
      await documented(await fetch(`${server.url}/odata/Jobs`), u.jobs.responses[401].schema);
      await documented(
        await fetch(`${server.url}/odata/Webhooks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ Url: 'http://127.0.0.1:9/hook', Events: [{ EventType: 'job.faulted' }] }),
        }),
        u.addWebhook.responses[201].schema,
      );
      await documented(await fetch(`${server.url}/odata/Webhooks`, { headers }), u.webhooks.responses[200].schema);
      await documented(await fetch(`${server.url}/odata/Webhooks(1)`, { headers }), u.webhook.responses[200].schema);
      await documented(
        await fetch(`${server.url}/odata/Webhooks/UiPath.Server.Configuration.OData.GetEventTypes()`, { headers }),
        u.eventTypes.responses[200].schema,
      );
    }
  });
});
