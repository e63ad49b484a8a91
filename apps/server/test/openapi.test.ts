import { join } from 'node:path';
import { apiTaskContract } from '@botgate/api-task';
import { consoleContract } from '@botgate/console';
import { localApiContract } from '@botgate/local-api';
import { processApiContract } from '@botgate/process-api';
import { Validator } from '@seriousme/openapi-schema-validator';
import { documented } from '@botgate/testing';
import { describe, expect, it } from 'vitest';
import { adaptersOf } from '../src/adapter-runtimes.js';
import { loadConfig } from '../src/load-config.js';
import { cliJson, makeCatalog, serverEnv, startServer, useWorkspace, waitFor } from './helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root);

const documentedRoutes = (document: { paths: Record<string, Record<string, unknown>> }): string[] =>
  Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );

describe('OpenAPI documents and /docs', () => {
  // That each document is valid and lists every route its router mounts, the conformance kit checks per adapter.
  it('serves each registered adapter’s OpenAPI 3.1 document, the console’s, and the reference at /docs', async () => {
    const env = await serverEnv(join(root, 'data'), catalog);
    const server = await startServer(env);
    try {
      for (const adapter of adaptersOf(loadConfig({ env: {}, cwd: root }))) {
        const answer = await fetch(`${server.url}/openapi/${adapter.name}.json`);
        expect(answer.status).toBe(200);
        const document = (await answer.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
        expect(document.openapi).toBe('3.1.0');
        expect(documentedRoutes(document).sort()).toEqual(
          documentedRoutes(adapter.openApi() as typeof document).sort(),
        );
      }
      expect((await fetch(`${server.url}/openapi/nothing.json`)).status).toBe(404);

      // The console's API, mounted from its own route table: documented, and a wrong method is 405.
      const consoleDocument = (await (await fetch(`${server.url}/openapi/console.json`)).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const consoleValidation = await new Validator().validate(consoleDocument as never);
      expect(consoleValidation, JSON.stringify(consoleValidation.errors)).toMatchObject({ valid: true });
      expect(documentedRoutes(consoleDocument)).toContain('GET /console/api/jobs/{id}/files/{kind}/{name}');
      // The console's own routes, and each adapter panel's.
      expect(documentedRoutes(consoleDocument)).toEqual(
        expect.arrayContaining([
          ...Object.values(consoleContract).map(
            (route) => `${route.method.toUpperCase()} /console/api${route.path.replace(/[:*](\w+)/g, '{$1}')}`,
          ),
          'POST /console/api/automations/{id}/local-api',
          'DELETE /console/api/automations/{id}/process-api/secret',
          'POST /console/api/keys',
          'PUT /console/api/automations/{id}/api-task',
          'DELETE /console/api/users/{username}',
        ]),
      );
      const wrong = await fetch(`${server.url}/console/api/session`, { method: 'DELETE' });
      expect([wrong.status, wrong.headers.get('allow'), await wrong.json()]).toEqual([
        405,
        'GET',
        { error: 'METHOD_NOT_ALLOWED', message: 'DELETE is not allowed here; use GET' },
      ]);

      const page = await fetch(`${server.url}/docs`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toMatch(/https?:\/\//); // everything from this server, no CDN
      for (const asset of html.matchAll(/(?:src|href)="([^"]+)"/g))
        expect((await fetch(`${server.url}${asset[1]}`)).status, asset[1]).toBe(200);
      expect(await (await fetch(`${server.url}/docs/init.js`)).text()).toContain('/openapi/process-api.json');
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });
});

describe('what the routes answer is what their documents say', () => {
  it('local-api, process-api and api-task answers match their documented schemas', async () => {
    const env = await serverEnv(join(root, 'answers'), catalog);
    const { uuid } = await cliJson<{ uuid: string }>(['local-api', 'add', 'file-report'], env);
    const proc = await cliJson<{ workspaceId: string; processId: string; secret: string }>(
      ['process-api', 'secret', 'echo'],
      env,
    );
    const admin = await cliJson<{ username: string; apiKey: string }>(['users', 'add', 'ops', '--role', 'admin'], env);
    const server = await startServer(env);
    const json = { 'content-type': 'application/json' };
    try {
      await documented(await fetch(`${server.url}/api`), localApiContract.overviewOrTrigger.responses[200].schema);
      const form = new FormData();
      form.append('f', new Blob(['abc']), 'f.txt');
      const { msUnixTime } = (await documented(
        await fetch(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: form }),
        localApiContract.trigger.responses[200].schema,
      )) as { msUnixTime: string };
      const status = `${server.url}/api/job?uuid=${uuid}&msUnixTime=${msUnixTime}`;
      await waitFor(
        'the job to finish',
        async () => ((await (await fetch(status)).json()) as { status: string }).status === 'finished' || undefined,
      );
      await documented(await fetch(status), localApiContract.status.responses[200].schema);
      await documented(
        await fetch(`${server.url}/api/job?uuid=${uuid}`),
        localApiContract.status.responses[400].schema,
      );

      const runs = `${server.url}/workspace-v1/workspaces/${proc.workspaceId}/processes/${proc.processId}/runs`;
      const secret = { ...json, 'robocloud-process-secret': proc.secret };
      const run = (await documented(
        await fetch(runs, { method: 'POST', headers: secret, body: '{"a":1}' }),
        processApiContract.legacyTrigger.responses[200].schema,
      )) as { processRunId: string };
      await documented(
        await fetch(`${runs}/${run.processRunId}`, { headers: secret }),
        processApiContract.legacyGetRun.responses[200].schema,
      );
      await documented(
        await fetch(`${runs}/nope`, { headers: secret }),
        processApiContract.legacyGetRun.responses[404].schema,
      );

      const { key } = await cliJson<{ key: string }>(
        [
          'process-api',
          'key',
          'add',
          'docs',
          '--permissions',
          'trigger_processes,read_runs,read_work_items,read_processes,write_work_items',
        ],
        env,
      );
      const keyed = { ...json, authorization: `RC-WSKEY ${key}` };
      const ws = `${server.url}/process-v1/workspaces/${proc.workspaceId}`;
      const v1 = `${ws}/processes/${proc.processId}`;
      const c = processApiContract;
      await documented(await fetch(`${ws}/processes`, { headers: keyed }), c.listProcesses.responses[200].schema);
      await documented(await fetch(v1, { headers: keyed }), c.getProcess.responses[200].schema);
      const item = (await documented(
        await fetch(`${v1}/work-items`, { method: 'POST', headers: keyed, body: '{"payload":{"message":"hi"}}' }),
        c.createWorkItem.responses[200].schema,
      )) as { id: string };
      await documented(
        await fetch(`${v1}/work-items/${item.id}/files/upload`, {
          method: 'POST',
          headers: keyed,
          body: '{"fileName":"a.txt","fileSize":1}',
        }),
        c.requestUpload.responses[200].schema,
      );
      await documented(
        await fetch(`${v1}/work-items/${item.id}?includeData=true`, { headers: keyed }),
        c.getWorkItem.responses[200].schema,
      );
      const started = (await documented(
        await fetch(`${v1}/run-request`, {
          method: 'POST',
          headers: keyed,
          body: JSON.stringify({ type: 'workItemIds', workItemIds: [item.id] }),
        }),
        c.runRequest.responses[200].schema,
      )) as { id: string };
      await waitFor(
        'the run to end',
        async () =>
          ((await (await fetch(`${v1}/runs/${started.id}`, { headers: keyed })).json()) as { state: string }).state ===
            'COMPL' || undefined,
      );
      await documented(await fetch(`${v1}/runs/${started.id}`, { headers: keyed }), c.getRun.responses[200].schema);
      await documented(await fetch(`${v1}/runs?limit=1`, { headers: keyed }), c.listRuns.responses[200].schema);
      await documented(await fetch(`${ws}/pruns?limit=5`, { headers: keyed }), c.workspaceRuns.responses[200].schema);
      const [robotRun] = (await documented(
        await fetch(`${v1}/runs/${started.id}/robotRuns`, { headers: keyed }),
        c.robotRuns.responses[200].schema,
      )) as Array<{ id: string }>;
      await documented(
        await fetch(`${v1}/runs/${started.id}/robotRuns/${robotRun?.id}`, { headers: keyed }),
        c.robotRun.responses[200].schema,
      );
      await documented(
        await fetch(`${v1}/runs/${started.id}/robotRuns/${robotRun?.id}/artifacts`, { headers: keyed }),
        c.robotRunArtifacts.responses[200].schema,
      );
      await documented(
        await fetch(`${v1}/runs/${started.id}/work-items?includeData=true`, { headers: keyed }),
        c.workItems.responses[200].schema,
      );
      await documented(
        await fetch(`${v1}/work-items?includeData=true&limit=1`, { headers: keyed }),
        c.listWorkItems.responses[200].schema,
      );
      await documented(
        await fetch(`${v1}/work-items/${item.id}/retry`, { method: 'POST', headers: keyed }),
        c.retryWorkItem.responses[409].schema,
      );
      await documented(
        await fetch(`${v1}/runs/${started.id}/stop`, { method: 'POST', headers: keyed }),
        c.stopRun.responses[409].schema,
      );

      const auth = (await documented(
        await fetch(`${server.url}/v1/authentication`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ username: admin.username, apiKey: admin.apiKey }),
        }),
        apiTaskContract.authenticate.responses[200].schema,
      )) as { token: string };
      const user = { ...json, 'x-authorization': auth.token };
      await documented(
        await fetch(`${server.url}/v1/authentication/token`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ token: auth.token }),
        }),
        apiTaskContract.refresh.responses[200].schema,
      );
      await documented(
        await fetch(`${server.url}/orchestrator/v1/hotbot/config/create`, {
          method: 'PUT',
          headers: user,
          body: JSON.stringify({ fileId: 1, concurrencyLimit: 2 }),
        }),
        apiTaskContract.allocate.responses[200].schema,
      );
      await documented(
        await fetch(`${server.url}/orchestrator/v1/hotbot/config`, { method: 'POST', headers: user, body: '{}' }),
        apiTaskContract.list.responses[200].schema,
      );
      const access = (await documented(
        await fetch(`${server.url}/orchestrator/v1/hotbot/config/accessdetails`, {
          method: 'POST',
          headers: user,
          body: JSON.stringify({ botRepositoryPath: ['Bots\\echo', 'Bots\\nope'] }),
        }),
        apiTaskContract.accessDetails.responses[200].schema,
      )) as { accessDetails: Record<string, { url: string; headers: Record<string, string> }> };
      const echo = access.accessDetails['Bots\\echo'] as { url: string; headers: Record<string, string> };
      await documented(
        await fetch(echo.url, {
          method: 'POST',
          headers: { ...json, ...echo.headers },
          body: JSON.stringify({ botInput: { message: { type: 'STRING', string: 'hi' } } }),
        }),
        apiTaskContract.execute.responses[200].schema,
      );
      await documented(
        await fetch(echo.url, { method: 'POST', headers: json, body: '{}' }),
        apiTaskContract.execute.responses[401].schema,
      );

      const a = apiTaskContract;
      await documented(
        await fetch(`${server.url}/v1/authentication/token?token=${auth.token}`),
        a.validate.responses[200].schema,
      );
      const files = (await documented(
        await fetch(`${server.url}/v2/repository/workspaces/public/files/list`, {
          method: 'POST',
          headers: user,
          body: '{"filter":{"operator":"eq","field":"name","value":"echo"}}',
        }),
        a.listFiles.responses[200].schema,
      )) as { list: Array<{ id: string }> };
      await documented(
        await fetch(`${server.url}/v2/repository/files/${files.list[0]?.id}`, { headers: user }),
        a.getFile.responses[200].schema,
      );
      const runAs = (await documented(
        await fetch(`${server.url}/v1/devices/runasusers/list`, { method: 'POST', headers: user, body: '{}' }),
        a.listRunAsUsers.responses[200].schema,
      )) as { list: Array<{ id: string }> };
      await documented(
        await fetch(`${server.url}/v2/devices/list`, { method: 'POST', headers: user, body: '{}' }),
        a.listDevices.responses[200].schema,
      );
      const deployed = (await documented(
        await fetch(`${server.url}/v3/automations/deploy`, {
          method: 'POST',
          headers: user,
          body: JSON.stringify({
            fileId: Number(files.list[0]?.id),
            runAsUserIds: [Number(runAs.list[0]?.id)],
            botInput: { message: { type: 'STRING', string: 'hi' } },
          }),
        }),
        a.deploy.responses[200].schema,
      )) as { deploymentId: string };
      const activity = `${server.url}/v3/activity/list`;
      await waitFor(
        'the deploy to complete',
        async () =>
          (
            (await (
              await fetch(activity, {
                method: 'POST',
                headers: user,
                body: JSON.stringify({
                  filter: { operator: 'eq', field: 'deploymentId', value: deployed.deploymentId },
                }),
              })
            ).json()) as { list: Array<{ status: string }> }
          ).list[0]?.status === 'COMPLETED' || undefined,
      );
      const executions = (await documented(
        await fetch(activity, { method: 'POST', headers: user, body: '{}' }),
        a.listActivity.responses[200].schema,
      )) as { list: Array<{ id: string }> };
      await documented(
        await fetch(`${server.url}/v3/activity/manage`, {
          method: 'POST',
          headers: user,
          body: JSON.stringify({ stop_executions: { execution_ids: [executions.list[0]?.id] } }),
        }),
        a.manageActivity.responses[409].schema,
      );
      await documented(
        await fetch(`${server.url}/v3/automations/nope`, { method: 'POST', headers: user, body: '{}' }),
        a.deploy.responses[404].schema,
      );
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });
});
