/// <reference lib="dom" />
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  cliJson,
  makeCatalog,
  observe,
  repoRoot,
  serverEnv,
  startServer,
  useWorkspace,
  waitFor,
  type RunningServer,
} from './helpers.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = useWorkspace();
const catalog = makeCatalog(root);
// Screenshots go to the test folder; UPDATE_SCREENSHOTS=1 also writes the ones the README shows.
const shotDirs = [
  join(root, 'screenshots'),
  ...(process.env.UPDATE_SCREENSHOTS === '1' ? [join(repoRoot, 'docs', 'screenshots')] : []),
];

let server: RunningServer;
let browser: Browser;
let env: Record<string, string>;

const shoot = async (page: Page, name: string) => {
  for (const dir of shotDirs) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  }
};

const signIn = async (page: Page, username: string, password: string) => {
  await page.goto(`${server.url}/console`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
};

const card = (page: Page, automation: string) => page.getByTestId(`automation-${automation}`);

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium (.ci/run does)`);
  // A failed webhook waits an hour for its next try: only Redeliver sends it sooner.
  env = await serverEnv(join(root, 'data'), catalog, { BOTGATE_PROCESS_API_WEBHOOK_RETRY: '1h' });
  await cliJson(['users', 'add', 'ada', '--role', 'admin', '--password', 'ada-password'], env);
  await cliJson(['users', 'add', 'dev', '--role', 'developer', '--password', 'dev-password'], env);
  server = await startServer(env);
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
});

afterAll(async () => {
  await browser?.close();
  server?.process.kill('SIGTERM');
  await server?.exited;
});

describe('the operator console in Chromium', () => {
  it('lets an admin expose automations on all three APIs, watch a job live, download its output and run the shown calls', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();

    await page.goto(`${server.url}/console`);
    await page.getByLabel('User name').waitFor();
    await shoot(page, 'login');
    await signIn(page, 'ada', 'ada-password');

    // The session is an HttpOnly cookie: page scripts cannot read it.
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'botgate_console')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).toBe('');

    // EMILY: "Add to API", then copy the uuid.
    await page.goto(`${server.url}/console/#/automations`);
    await card(page, 'file-report').getByRole('button', { name: 'Add to API' }).click();
    const uuidCode = page.getByTestId('uuid-file-report');
    await uuidCode.waitFor();
    const uuid = (await uuidCode.textContent()) ?? '';
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    await card(page, 'file-report').locator('.copy', { has: uuidCode }).getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(uuid);

    // Robocorp: "Generate secret", then run the curl line exactly as shown.
    await card(page, 'echo').getByRole('button', { name: 'Generate secret' }).click();
    const curlLine = (await page.getByTestId('secret-curl-echo').textContent()) ?? '';
    expect(curlLine).toContain('robocloud-process-secret: ');
    const { stdout } = await promisify(execFile)('sh', ['-c', `${curlLine} --silent --show-error --fail`]);
    expect(JSON.parse(stdout)).toMatchObject({ message: 'OK', processRunId: expect.any(String) });

    // Automation Anywhere: allocate with a concurrency limit, generate the URL and token, execute.
    await card(page, 'echo').getByLabel('Concurrency limit of echo').fill('3');
    await card(page, 'echo').getByRole('button', { name: 'Allocate' }).click();
    await card(page, 'echo').getByText('allocated, concurrency limit 3').waitFor();
    await card(page, 'echo').getByRole('button', { name: 'Generate URL and token' }).click();
    const url = (await page.getByTestId('exec-url-echo').textContent()) ?? '';
    const token = (await page.getByTestId('exec-token-echo').textContent()) ?? '';
    expect(url).toMatch(/\/hotbot\/[^/]+\/execute$/);
    const executed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authorization': token },
      body: JSON.stringify({ botInput: { message: { type: 'STRING', string: 'from the console' } } }),
    });
    expect(executed.status).toBe(200);
    expect(await executed.json()).toEqual({
      hotBotResult: { botOutput: expect.objectContaining({ message: { type: 'STRING', string: 'from the console' } }) },
    });
    await shoot(page, 'automations');

    // Jobs: a trigger from outside appears and finishes in the open list, without a reload.
    await page.goto(`${server.url}/console/#/jobs`);
    await page.getByText('live', { exact: true }).waitFor();
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const form = new FormData();
    form.append('invoice', new Blob(['total: 42 EUR\n']), 'invoice.txt');
    const triggered = await fetch(`${server.url}/api?uuid=${uuid}`, { method: 'POST', body: form });
    expect(triggered.status).toBe(200);
    const row = page.locator('tr', { hasText: 'file-report' }).first();
    await row.and(page.locator('[data-state="succeeded"]')).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await page.getByLabel('State').selectOption('succeeded');
    await row.waitFor();
    await shoot(page, 'jobs');

    // The job page: its log, and its output file downloaded.
    await row.getByRole('link').click();
    await expect
      .poll(() => page.getByTestId('job-log').textContent(), { timeout: 10_000 })
      .toContain('1 file(s), 14 bytes');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'report.txt' }).click(),
    ]);
    expect(readFileSync((await download.path()) as string, 'utf8')).toBe('1 file(s), 14 bytes\ninvoice.txt\t14\n');
    await shoot(page, 'job');

    await page.goto(`${server.url}/console/#/overview`);
    await expect
      .poll(async () => Number(await page.getByTestId('count-succeeded').locator('.value').textContent()))
      .toBeGreaterThanOrEqual(3);
    await shoot(page, 'overview');

    await page.goto(`${server.url}/console/#/users`);
    await page.getByRole('cell', { name: 'dev', exact: true }).waitFor();
    // The adapters' pages are drawn from their panels: an optional password left empty is not sent.
    await page.getByLabel('New user name').fill('eve');
    await page.getByRole('button', { name: 'Add user' }).click();
    expect(await page.getByTestId('new-api-key').textContent()).toMatch(/\S{20,}/);
    await page.getByText('API key of eve (shown once)').waitFor();
    const rowOf = (name: string) => page.locator('tr', { has: page.getByRole('cell', { name, exact: true }) });
    expect(await rowOf('ada').getByRole('button', { name: 'Remove' }).count()).toBe(0);
    await rowOf('eve').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => rowOf('eve').count()).toBe(0);
    await shoot(page, 'users');
    await page.goto(`${server.url}/console/#/keys`);
    await page.getByLabel('New key name').fill('ci');
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByTestId('new-workspace-key').waitFor();
    await rowOf('ci').waitFor();
    expect(await rowOf('ci').textContent()).toContain('trigger_processes, read_runs');
    await shoot(page, 'api-keys');
    await rowOf('ci').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => rowOf('ci').count()).toBe(0);

    // The API reference renders from this server alone: Swagger UI and the OpenAPI documents.
    const outside: string[] = [];
    page.on(
      'request',
      (request) =>
        void (
          new URL(request.url()).origin === server.url ||
          request.url().startsWith('data:') ||
          outside.push(request.url())
        ),
    );
    await page.goto(`${server.url}/docs`);
    await page.locator('.opblock-summary-path', { hasText: '/api/job' }).first().waitFor();
    expect(outside).toEqual([]);
    await shoot(page, 'api-reference');
    await context.close();
  });

  it('shows a failed webhook with its attempts and next try, and Redeliver sends it again', async () => {
    let answer = 500;
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(answer));
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    try {
      await cliJson(['process-api', 'webhook', 'set', 'sleep', hook], env);
      // Robocorp's webhook tells of the process runs its API started.
      const proc = await cliJson<{ workspaceId: string; processId: string; secret: string }>(
        ['process-api', 'secret', 'sleep'],
        env,
      );
      const run = await fetch(
        `${server.url}/workspace-v1/workspaces/${proc.workspaceId}/processes/${proc.processId}/runs`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'robocloud-process-secret': proc.secret },
          body: '{"seconds":0}',
        },
      );
      expect(run.status).toBe(200);
      await waitFor('the webhook refused once', async () => (received.length >= 1 ? true : undefined));
      const [delivery] = await cliJson<Array<{ id: string; state: string; attempts: number; lastStatus: number }>>(
        ['process-api', 'webhook', 'deliveries'],
        env,
      );
      expect(delivery).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500 });

      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signIn(page, 'ada', 'ada-password');
      await page.goto(`${server.url}/console/#/overview`);
      await expect.poll(() => page.getByTestId('delivery-counts').textContent()).toContain('1 pending');
      await page.getByRole('link', { name: 'Deliveries' }).first().click();
      const row = page.getByTestId(`delivery-${delivery?.id}`);
      await expect.poll(() => row.textContent()).toContain('500');
      await row.getByRole('button', { name: '1' }).click();
      await expect
        .poll(() => page.getByTestId(`attempts-${delivery?.id}`).textContent())
        .toContain('receiver answered 500');
      await shoot(page, 'deliveries');
      answer = 204;
      await row.getByRole('button', { name: 'Redeliver' }).click();
      await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('delivered');
      expect(received).toEqual(['500', '204']);
      await context.close();
    } finally {
      await cli(['process-api', 'webhook', 'remove', 'sleep'], env);
      await cli(['process-api', 'delete', 'sleep'], env);
      receiver.close();
    }
  });

  it('runs an automation from its form: typed inputs and files, then opens the job', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'dev', 'dev-password');
    await page.goto(`${server.url}/console/#/automations`);
    await card(page, 'echo').getByRole('link', { name: 'Run' }).click();
    await page.getByRole('heading', { name: 'Run Echo' }).waitFor();
    await page.getByLabel('message').fill('from the form');
    await page.getByLabel('count').fill('3.5');
    await page.getByLabel('flag').selectOption('true');
    await page.getByLabel('items').fill('[1, "two"]');
    await page.getByLabel('data').fill('{"a": {"b": true}}');
    await page.getByLabel('when').fill('2026-12-06T10:30:00');
    // A bad value is refused where it was typed, and nothing is queued.
    await page.getByLabel('items').fill('[1, "two"');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.locator('form.run .error').waitFor();
    expect(await page.locator('form.run .error').textContent()).toContain('items');
    await page.getByLabel('items').fill('[1, "two"]');
    await shoot(page, 'run');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/^#\/jobs\/\d+$/);
    const id = Number((await page.evaluate(() => window.location.hash)).replace('#/jobs/', ''));
    await page.locator('h2 .state', { hasText: 'succeeded' }).waitFor();
    const job = await cliJson<{ adapter: string; outputs: Record<string, { type: string; value: unknown }> }>(
      ['jobs', 'show', String(id)],
      env,
    );
    expect(job.adapter).toBe('console');
    expect(job.outputs).toMatchObject({
      message: { type: 'STRING', value: 'from the form' },
      count: { type: 'NUMBER', value: '3.5' },
      flag: { type: 'BOOLEAN', value: true },
      when: { type: 'DATETIME', value: new Date('2026-12-06T10:30:00').toISOString() },
    });

    // Files go to the job's working folder.
    await page.goto(`${server.url}/console/#/automations/file-report/run`);
    await page
      .getByLabel('Files')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('twelve bytes') });
    await page.getByRole('button', { name: 'Run' }).click();
    await page.locator('h2 .state', { hasText: 'succeeded' }).waitFor();
    const report = Number((await page.evaluate(() => window.location.hash)).replace('#/jobs/', ''));
    const reported = await cliJson<{ outputs: Record<string, { value: unknown }> }>(
      ['jobs', 'show', String(report)],
      env,
    );
    expect(reported.outputs.totalBytes?.value).toBe('12');
    await context.close();
  });

  it('pages through the jobs and finds them by id, input text and creation time', async () => {
    const core = await observe(join(root, 'data'), catalog, env);
    const made: number[] = [];
    for (let i = 0; i < 105; i++)
      made.push(
        (await core.jobs.enqueue({ automationId: 'echo', adapter: 'test', plainInputs: { message: `needle-${i}` } }))
          .job.id,
      );
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'dev', 'dev-password');
    await page.goto(`${server.url}/console/#/jobs`);
    const rows = page.locator('tbody tr[data-testid^="job-"]');
    const idsShown = async () =>
      (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))).map((t) =>
        Number(t?.replace('job-', '')),
      );
    await expect.poll(() => rows.count()).toBe(100);
    const first = await idsShown();
    expect(first[0]).toBe(made.at(-1));
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(async () => (await idsShown())[0]).toBeLessThan(first.at(-1) as number);
    expect((await idsShown())[0]).toBe((first.at(-1) as number) - 1);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(async () => (await idsShown())[0]).toBe(made.at(-1));

    await page.getByLabel('Input contains').fill('NEEDLE-42');
    await expect.poll(idsShown).toEqual([made[42]]);
    await page.getByLabel('Input contains').fill('');
    await page.getByLabel('Job id').fill(String(made[7]));
    await expect.poll(idsShown).toEqual([made[7]]);
    await page.getByLabel('Job id').fill('');
    await page.getByLabel('Created before').fill('2000-01-01T00:00');
    await page.getByText('No jobs match.').waitFor();
    await context.close();
  });

  it('fits a 360 px wide screen: the navigation wraps, Sign out is in view, nothing widens the page', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await signIn(page, 'ada', 'ada-password');
    // The console's own pages, and every adapter panel's.
    const panels = await page.evaluate(async () =>
      ((await (await fetch('/console/api/pages')).json()) as Array<{ path: string; title: string }>).map(
        (p) => [p.path, p.title] as const,
      ),
    );
    expect(panels.length).toBeGreaterThan(1);
    const pages = [
      ['overview', 'Overview'],
      ['automations', 'Automations'],
      ['jobs', 'Jobs'],
      ['deliveries', 'Deliveries'],
      ...panels,
    ];
    for (const [path, title] of pages) {
      await page.goto(`${server.url}/console/#/${path}`);
      await page.locator('main h2', { hasText: title }).first().waitFor();
      const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
      expect(signOut, path).not.toBeNull();
      expect((signOut?.x ?? 0) + (signOut?.width ?? 0), path).toBeLessThanOrEqual(360);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
    }
    await page.goto(`${server.url}/console/#/overview`);
    await page.locator('main h2', { hasText: 'Overview' }).waitFor();
    await shoot(page, 'narrow');
    await context.close();
  });

  it("streams a running job's log, cancels it, and re-runs it as a new job", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, 'dev', 'dev-password');
    const queued = await cliJson<{ id: number }>(['run', 'sleep', '--input', 'seconds=30'], env);
    await page.goto(`${server.url}/console/#/jobs/${queued.id}`);
    // The command's first line, while it still runs.
    await expect
      .poll(() => page.getByTestId('job-log').textContent(), { timeout: 10_000 })
      .toContain('sleeping 30 s as process');
    await page.locator('h2 .state', { hasText: 'running' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('h2 .state', { hasText: 'canceled' }).waitFor({ timeout: 10_000 });

    await page.getByRole('button', { name: 'Re-run' }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).not.toBe(`#/jobs/${queued.id}`);
    const rerunId = Number((await page.evaluate(() => window.location.hash)).replace('#/jobs/', ''));
    await page.getByText(`re-run of #${queued.id}`).waitFor();
    await expect
      .poll(() => page.getByTestId('job-log').textContent(), { timeout: 10_000 })
      .toContain('sleeping 30 s as process');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('h2 .state', { hasText: 'canceled' }).waitFor({ timeout: 10_000 });
    expect(rerunId).toBeGreaterThan(queued.id);
    await context.close();
  });

  it('shows a developer no admin pages, and the API refuses them too', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, 'dev', 'dev-password');
    const nav = page.locator('nav');
    await expect.poll(() => nav.textContent()).toContain('Jobs');
    expect(await nav.textContent()).not.toMatch(/Users|API keys/);
    await page.goto(`${server.url}/console/#/users`);
    await page.getByText('This page is for admins only.').waitFor();
    expect(await page.evaluate(async () => (await fetch('/console/api/users')).status)).toBe(403);
    // Allocation is an admin's step: no control for it, and the API says no.
    await page.goto(`${server.url}/console/#/automations`);
    await card(page, 'echo').waitFor();
    expect(
      await card(page, 'echo')
        .getByRole('button', { name: /Allocate|Change limit/ })
        .count(),
    ).toBe(0);
    await shoot(page, 'developer');
    await context.close();
  });

  it("streams a job's log once: a client that appends every log event shows each line once", async () => {
    const login = await fetch(`${server.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"dev","password":"dev-password"}',
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const queued = await cliJson<{ id: number }>(['run', 'sleep', '--input', 'seconds=1'], env);
    const stream = await fetch(`${server.url}/console/api/jobs/${queued.id}/log`, { headers: { cookie } });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events = [...(await stream.text()).matchAll(/event: (\w+)\ndata: (.*)\n/g)].map(([, event, data]) => ({
      event,
      data: JSON.parse(data as string) as { text?: string; live?: boolean; state?: string },
    }));
    const appended = events.flatMap(({ event, data }) => (event === 'log' ? [data.text] : [])).join('');
    expect(appended.match(/sleeping 1 s as process/g)).toHaveLength(1);
    expect(events.at(-1)).toEqual({ event: 'end', data: { state: 'succeeded', error: null } });
  });

  it('refuses writes without the CSRF token and sign-ins with wrong credentials', async () => {
    const login = await fetch(`${server.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"ada","password":"ada-password"}',
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const badTime = await fetch(`${server.url}/console/api/jobs?from=yesterday`, { headers: { cookie } });
    expect([badTime.status, await badTime.json()]).toEqual([
      400,
      { error: 'BAD_REQUEST', message: expect.stringContaining('"yesterday" is not a time') },
    ]);
    const notAnObject = await fetch(`${server.url}/console/api/automations/echo/run`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: '[1, 2]',
    });
    expect([notAnObject.status, ((await notAnObject.json()) as { error: string }).error]).toEqual([400, 'BAD_REQUEST']);
    const noSuchAdapter = await fetch(`${server.url}/console/api/deliveries?adapter=nope`, { headers: { cookie } });
    expect([noSuchAdapter.status, await noSuchAdapter.json()]).toEqual([200, []]);
    const farFuture = await fetch(`${server.url}/console/api/jobs?from=99999999999999999`, { headers: { cookie } });
    expect(farFuture.status).toBe(400);
    const bigId = await fetch(`${server.url}/console/api/jobs?before=9999999999`, { headers: { cookie } });
    expect(bigId.status).toBe(400);
    const without = await fetch(`${server.url}/console/api/automations/echo/local-api`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(without.status).toBe(403);
    const withToken = await fetch(`${server.url}/console/api/automations/echo/local-api`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(withToken.status).toBe(200);
    const wrong = await fetch(`${server.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"ada","password":"nope"}',
    });
    expect(wrong.status).toBe(401);
    const form = await fetch(`${server.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=ada&password=ada-password',
    });
    expect(form.status).toBe(415);
    expect((await fetch(`${server.url}/console/api/jobs`)).status).toBe(401);
    expect((await fetch(`${server.url}/console/api/jobs?state=nope`, { headers: { cookie } })).status).toBe(400);
    // Query parameters that should be numbers and are not say so, not "NaN".
    for (const [query, message] of [
      ['before=abc', 'query parameter "before" must be a job id, a whole number from 1'],
      ['limit=lots', 'query parameter "limit" must be a whole number from 1 to 1000'],
    ]) {
      const bad = await fetch(`${server.url}/console/api/jobs?${query}`, { headers: { cookie } });
      expect([bad.status, await bad.json()]).toEqual([400, { error: 'BAD_REQUEST', message }]);
    }
    // Path parameters are checked by the route table's schemas, before the handler runs.
    for (const [path, message] of [
      ['/jobs/abc', 'job id must be a positive integer, got "abc"'],
      ['/jobs/0/log', 'job id must be a positive integer, got "0"'],
      ['/jobs/1/files/other/report.txt', 'path parameter "kind": Invalid option: expected one of "input"|"output"'],
    ]) {
      const bad = await fetch(`${server.url}/console/api${path}`, { headers: { cookie } });
      expect([bad.status, await bad.json()]).toEqual([400, { error: 'BAD_REQUEST', message }]);
    }
    const badPath = await fetch(`${server.url}/console/api/automations/%ZZ/local-api`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(badPath.status).toBe(400);
    expect(await badPath.json()).toEqual({
      error: 'BAD_REQUEST',
      message: "malformed URL: Failed to decode param '%ZZ'",
    });
  });
});
