import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { waitFor } from '@botgate/testing';
import { describe, expect, it } from 'vitest';
import { call, Orchestrator, signIn, startUipath, type Collection, type JobDto } from './helpers.js';
import { requestToken } from './token.js';

describe('uipath, driven by UiPath’s Node client and by plain HTTP', () => {
  it('signs in, finds releases by ProcessKey, starts a job with input arguments, polls it to Successful, reads OutputArguments; a failing one ends Faulted; a running one is stopped', async () => {
    const server = await startUipath();
    await server.command(['users', 'add', 'robot'], { role: 'developer', password: 'uipath-pass-1' });
    for (const automation of ['echo', 'fail', 'sleep']) await server.command(['uipath', 'publish', automation]);
    {
      const orchestrator = new Orchestrator({
        tenancyName: 'Default',
        usernameOrEmailAddress: 'robot',
        password: 'uipath-pass-1',
        hostname: '127.0.0.1',
        port: Number(new URL(server.url).port),
        isSecure: false,
      });
      const odata = orchestrator.v2.odata;
      const releases = await call<
        Collection<{ Key: string; ProcessKey: string; Name: string; Arguments: { Input: string } }>
      >((cb) => odata.getReleases({ $filter: "ProcessKey eq 'echo'" }, cb));
      expect(releases.value.map((r) => r.ProcessKey)).toEqual(['echo']);
      const echo = releases.value[0] as { Key: string; Arguments: { Input: string } };
      expect(JSON.parse(echo.Arguments.Input)).toContainEqual({
        name: 'message',
        type: 'System.String',
        required: false,
        hasDefault: expect.any(Boolean),
      });

      const inputs = {
        message: 'hello from UiPath',
        count: 3,
        flag: true,
        items: [1, 'two'],
        data: { a: 1 },
        when: '2026-12-06T10:00:00Z',
      };
      const started = await call<Collection<JobDto>>((cb) =>
        odata.postStartJobs(
          {
            startInfo: {
              ReleaseKey: echo.Key,
              Strategy: 'ModernJobsCount',
              JobsCount: 1,
              InputArguments: JSON.stringify(inputs),
            },
          },
          cb,
        ),
      );
      expect(started['@odata.context']).toBe(`${server.url}/odata/$metadata#Jobs`);
      expect(started.value).toHaveLength(1);
      const job = started.value[0] as JobDto;
      expect(job).toMatchObject({ State: 'Pending', ReleaseName: 'Echo', InputArguments: JSON.stringify(inputs) });
      const done = await waitFor('the echo job to succeed', async () => {
        const now = await call<JobDto>((cb) => odata.getJob(job.Id, {}, cb));
        return now.State === 'Successful' ? now : undefined;
      });
      expect(JSON.parse(done.OutputArguments as string)).toEqual(inputs);
      expect(done.Info).toBe('Job completed');
      expect(done.StartTime).not.toBeNull();
      expect(done.EndTime).not.toBeNull();

      const [fail] = (
        await call<Collection<{ Key: string }>>((cb) => odata.getReleases({ $filter: "ProcessKey eq 'fail'" }, cb))
      ).value;
      const failed = await call<Collection<JobDto>>((cb) =>
        odata.postStartJobs(
          { startInfo: { ReleaseKey: fail?.Key, InputArguments: '{"message":"broken on purpose"}' } },
          cb,
        ),
      );
      const faulted = await waitFor('the failing job to fault', async () => {
        const now = await call<JobDto>((cb) => odata.getJob((failed.value[0] as JobDto).Id, {}, cb));
        return now.State === 'Faulted' ? now : undefined;
      });
      expect(faulted.Info).toContain('broken on purpose');

      const [sleep] = (
        await call<Collection<{ Key: string }>>((cb) => odata.getReleases({ $filter: "Name eq 'Sleep'" }, cb))
      ).value;
      const sleeping = (
        await call<Collection<JobDto>>((cb) =>
          odata.postStartJobs({ startInfo: { ReleaseKey: sleep?.Key, InputArguments: '{"seconds":60}' } }, cb),
        )
      ).value[0] as JobDto;
      await waitFor('the sleep job to run', async () =>
        (await call<JobDto>((cb) => odata.getJob(sleeping.Id, {}, cb))).State === 'Running' ? true : undefined,
      );
      await call((cb) => odata.postStopJob(sleeping.Id, { strategy: 'SoftStop' }, cb));
      const stopped = await waitFor('the sleep job to stop', async () => {
        const now = await call<JobDto>((cb) => odata.getJob(sleeping.Id, {}, cb));
        return now.State === 'Stopped' ? now : undefined;
      });
      expect(stopped.EndTime).not.toBeNull();

      const listed = await call<Collection<JobDto>>((cb) =>
        odata.getJobs(
          { $filter: "State eq 'Successful' or State eq 'Faulted'", $orderby: 'Id desc', $count: true },
          cb,
        ),
      );
      expect(listed['@odata.count']).toBe(2);
      expect(listed.value.map((j) => [j.Id, j.State])).toEqual([
        [(failed.value[0] as JobDto).Id, 'Faulted'],
        [job.Id, 'Successful'],
      ]);
    }
  }, 120_000);

  it('takes an external application’s client-credentials token by plain HTTP, refuses it once the app is removed, and answers Orchestrator’s errors', async () => {
    const server = await startUipath();
    for (const automation of ['echo', 'fail', 'sleep']) await server.command(['uipath', 'publish', automation]);
    const app = await server.command<{ clientId: string; clientSecret: string }>(['uipath', 'app', 'add', 'ci']);
    {
      const tokenOf = (form: Record<string, string>) => requestToken(server.url, form);
      const refused = await tokenOf({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: 'wrong',
      });
      expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([400, 'invalid_client']);
      const granted = await tokenOf({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: 'OR.Jobs OR.Folders',
      });
      const token = (await granted.json()) as {
        access_token: string;
        token_type: string;
        expires_in: number;
        scope: string;
      };
      expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'OR.Jobs OR.Folders' });
      const api = (path: string, init: RequestInit = {}) =>
        fetch(`${server.url}${path}`, {
          ...init,
          headers: {
            authorization: `Bearer ${token.access_token}`,
            'content-type': 'application/json',
            ...init.headers,
          },
        });
      const releases = (await (
        await api("/odata/Releases?$filter=ProcessKey%20eq%20'echo'&$select=Key,Name")
      ).json()) as Collection<Record<string, unknown>>;
      expect(releases.value).toEqual([{ Key: expect.any(String), Name: 'Echo' }]);
      const start = await api('/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs', {
        method: 'POST',
        body: JSON.stringify({
          startInfo: { ReleaseKey: releases.value[0]?.Key, JobsCount: 2, InputArguments: '{"count":"many"}' },
        }),
      });
      const badInput = (await start.json()) as { message: string; errorCode: number; traceId: string };
      expect(start.status).toBe(400);
      expect(badInput).toEqual({
        message: expect.stringContaining('count'),
        errorCode: 1000,
        traceId: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/),
      });
      const two = await api('/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs', {
        method: 'POST',
        body: JSON.stringify({
          startInfo: { ReleaseKey: releases.value[0]?.Key, JobsCount: 2, InputArguments: '{"count":2}' },
        }),
      });
      expect(two.status).toBe(201);
      const pair = ((await two.json()) as Collection<JobDto>).value;
      expect(pair).toHaveLength(2);
      // The rest of the flow with the same token: each job polled to Successful, its outputs read.
      const poll = (id: number, state: string) =>
        waitFor(`job ${id} to be ${state}`, async () => {
          const job = (await (await api(`/odata/Jobs(${id})`)).json()) as JobDto;
          return job.State === state ? job : undefined;
        });
      for (const job of pair)
        expect(JSON.parse((await poll(job.Id, 'Successful')).OutputArguments as string)).toMatchObject({ count: 2 });
      const keyOf = async (processKey: string) =>
        (
          (await (await api(`/odata/Releases?$filter=ProcessKey%20eq%20'${processKey}'`)).json()) as Collection<{
            Key: string;
          }>
        ).value[0]?.Key;
      const startOne = async (processKey: string, args: string) =>
        (
          (await (
            await api('/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs', {
              method: 'POST',
              body: JSON.stringify({ startInfo: { ReleaseKey: await keyOf(processKey), InputArguments: args } }),
            })
          ).json()) as Collection<JobDto>
        ).value[0] as JobDto;
      const failing = await startOne('fail', '{"message":"oauth failure"}');
      expect((await poll(failing.Id, 'Faulted')).Info).toContain('oauth failure');
      const sleeping = await startOne('sleep', '{"seconds":60}');
      await poll(sleeping.Id, 'Running');
      const stop = await api('/odata/Jobs/UiPath.Server.Configuration.OData.StopJobs', {
        method: 'POST',
        body: JSON.stringify({ jobIds: [sleeping.Id], strategy: 'Kill' }),
      });
      expect(stop.status).toBe(200);
      expect((await poll(sleeping.Id, 'Stopped')).StopStrategy).toBe('Kill');
      const unknownOption = await api('/odata/Jobs?$expand=Robot');
      expect([unknownOption.status, ((await unknownOption.json()) as { message: string }).message]).toEqual([
        400,
        expect.stringContaining('$expand'),
      ]);
      const missing = await api('/odata/Jobs(999999)');
      expect([missing.status, ((await missing.json()) as { errorCode: number }).errorCode]).toEqual([404, 1002]);
      const otherFolder = await api('/odata/Jobs', { headers: { 'X-UIPATH-OrganizationUnitId': '42' } });
      expect([otherFolder.status, ((await otherFolder.json()) as { errorCode: number }).errorCode]).toEqual([
        400, 1100,
      ]);

      // Bad input, each answered in Orchestrator's shape and status, never 500.
      const refusal = async (response: Response) => {
        const body = (await response.json()) as { message: string; errorCode: number; traceId: string };
        expect(Object.keys(body).sort()).toEqual(['errorCode', 'message', 'traceId']);
        return [response.status, body.errorCode, body.message];
      };
      const startWith = (startInfo: unknown) =>
        api('/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs', {
          method: 'POST',
          body: JSON.stringify({ startInfo }),
        });
      expect(await refusal(await startWith({ ReleaseKey: '00000000-0000-0000-0000-000000000000' }))).toEqual([
        404,
        1002,
        expect.stringContaining('Release does not exist'),
      ]);
      expect(
        await refusal(await startWith({ ReleaseKey: await keyOf('echo'), InputArguments: '{"message":' })),
      ).toEqual([400, 1000, expect.stringContaining('InputArguments is not valid JSON')]);
      expect(
        await refusal(await startWith({ ReleaseKey: await keyOf('echo'), InputArguments: '{"flag":"maybe"}' })),
      ).toEqual([400, 1000, expect.stringContaining('flag')]);
      expect(await refusal(await api("/odata/Jobs?$filter=Robot%20eq%20'x'"))).toEqual([
        400,
        1000,
        expect.stringContaining('unknown property Robot'),
      ]);
      expect(await refusal(await api('/odata/Jobs?$filter=Id%20eq'))).toEqual([
        400,
        1000,
        expect.stringContaining('$filter'),
      ]);
      expect(await refusal(await api('/odata/Jobs?$top=1001'))).toEqual([400, 1000, expect.stringContaining('$top')]);
      expect(await refusal(await api('/odata/Jobs(4294967296)'))).toEqual([400, 1000, expect.stringContaining('key')]);
      // A token holds the scopes it was granted, not all of its app's.
      const narrow = await tokenOf({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: 'OR.Folders',
      });
      const folderOnly = ((await narrow.json()) as { access_token: string }).access_token;
      const refusedByScope = await fetch(`${server.url}/odata/Jobs`, {
        headers: { authorization: `Bearer ${folderOnly}` },
      });
      expect(await refusal(refusedByScope)).toEqual([403, 0, expect.stringContaining('OR.Jobs')]);
      // Another tenant: its sign-in is refused, and a token this server did not issue is unknown here.
      const otherTenant = await fetch(`${server.url}/api/Account/Authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenancyName: 'Other', usernameOrEmailAddress: 'x', password: 'y' }),
      });
      expect(await refusal(otherTenant)).toEqual([400, 1000, 'Invalid credentials, failed to login.']);
      const foreign = await fetch(`${server.url}/odata/Jobs`, {
        headers: { authorization: 'Bearer issued-elsewhere' },
      });
      expect(await refusal(foreign)).toEqual([401, 0, 'You are not authenticated!']);

      await server.command(['uipath', 'app', 'remove', app.clientId]);
      const ended = await api('/odata/Jobs');
      expect(await refusal(ended)).toEqual([401, 0, 'You are not authenticated!']);
    }
  }, 60_000);

  it('tells a webhook of job ends, signed with X-UiPath-Signature, and lets only an admin or OR.Webhooks manage webhooks', async () => {
    const received: Array<{ signature: string | undefined; body: string }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ signature: req.headers['x-uipath-signature'] as string | undefined, body });
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/events`;
    const server = await startUipath();
    await server.command(['users', 'add', 'boss'], { role: 'admin', password: 'boss-pass-1' });
    await server.command(['users', 'add', 'dev'], { role: 'developer', password: 'dev-pass-1' });
    const release = await server.command<{ key: string }>(['uipath', 'publish', 'echo']);
    const failing = await server.command<{ key: string }>(['uipath', 'publish', 'fail']);
    try {
      const as =
        (token: string) =>
        (path: string, init: RequestInit = {}) =>
          fetch(`${server.url}${path}`, {
            ...init,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
          });
      const dev = as(await signIn(server.url, 'dev', 'dev-pass-1'));
      const boss = as(await signIn(server.url, 'boss', 'boss-pass-1'));
      const refused = await dev('/odata/Webhooks');
      expect(refused.status).toBe(403);
      const added = await boss('/odata/Webhooks', {
        method: 'POST',
        body: JSON.stringify({ Url: hookUrl, Enabled: true, Secret: 'hook-secret', SubscribeToAllEvents: true }),
      });
      expect(added.status).toBe(201);
      expect(await added.json()).toMatchObject({ Url: hookUrl, Enabled: true, Secret: null, Id: 1 });
      const types = (await (
        await boss('/odata/Webhooks/UiPath.Server.Configuration.OData.GetEventTypes()')
      ).json()) as Collection<{ Name: string }>;
      expect(types.value.map((t) => t.Name)).toEqual(['job.completed', 'job.faulted', 'job.stopped']);

      const start = async (key: string, args: string) => {
        const response = await dev('/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs', {
          method: 'POST',
          body: JSON.stringify({ startInfo: { ReleaseKey: key, InputArguments: args } }),
        });
        return ((await response.json()) as Collection<JobDto>).value[0] as JobDto;
      };
      const ok = await start(release.key, '{"message":"to the hook"}');
      const bad = await start(failing.key, '{"message":"hook failure"}');
      await waitFor('both events', async () => (received.length >= 2 ? true : undefined));
      const events = received.map(({ signature, body }) => {
        expect(signature).toBe(createHmac('sha256', 'hook-secret').update(body).digest('base64'));
        return JSON.parse(body) as {
          Type: string;
          OrganizationUnitId: number;
          Job: JobDto & { OutputArguments: unknown; Release: { Key: string } };
        };
      });
      const byType = Object.fromEntries(events.map((event) => [event.Type, event]));
      expect(byType['job.completed']).toMatchObject({
        OrganizationUnitId: 1,
        Job: {
          Id: ok.Id,
          State: 'Successful',
          OutputArguments: { message: 'to the hook' },
          Release: { Key: release.key },
        },
      });
      expect(byType['job.faulted']?.Job).toMatchObject({
        Id: bad.Id,
        State: 'Faulted',
        Info: expect.stringContaining('hook failure'),
      });
      expect((await boss('/odata/Webhooks(1)', { method: 'DELETE' })).status).toBe(204);
      expect((await boss('/odata/Webhooks')).status).toBe(200);
    } finally {
      receiver.close();
    }
  }, 60_000);

  it('lists a folder of more jobs than one read holds: newest first, oldest first, counted, at most 1000 an answer', async () => {
    const server = await startUipath({ worker: false });
    await server.command(['users', 'add', 'lister'], { role: 'developer', password: 'lister-pass-1' });
    const release = await server.command<{ key: string }>(['uipath', 'publish', 'echo']);
    const token = await signIn(server.url, 'lister', 'lister-pass-1');
    const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
      const response = await fetch(`${server.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      expect(response.status, path).toBeLessThan(300);
      return (await response.json()) as T;
    };
    const ids: number[] = [];
    for (const count of [1000, 103]) {
      const started = await api<Collection<JobDto>>('/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs', {
        method: 'POST',
        body: JSON.stringify({ startInfo: { ReleaseKey: release.key, JobsCount: count } }),
      });
      ids.push(...started.value.map((job) => job.Id));
    }
    ids.sort((a, b) => a - b);
    const list = (query: string) => api<Collection<JobDto>>(`/odata/Jobs?${query}`);
    expect((await list('$top=2&$select=Id')).value).toEqual([{ Id: ids.at(-1) }, { Id: ids.at(-2) }]);
    expect((await list('$orderby=Id%20asc&$top=2&$skip=1&$select=Id')).value).toEqual([{ Id: ids[1] }, { Id: ids[2] }]);
    const counted = await list("$count=true&$top=1&$filter=State%20eq%20'Pending'");
    expect([counted['@odata.count'], counted.value.map((job) => job.Id)]).toEqual([1103, [ids.at(-1)]]);
    const unpaged = await list('$select=Id');
    expect([unpaged.value.length, unpaged.value.at(-1)?.Id]).toEqual([1000, ids[103]]);
  }, 60_000);
});
