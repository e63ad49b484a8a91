import { existsSync } from 'node:fs';
import type { StartedAdapter } from '@botgate/conformance';
import { consolePaths, createConsoleRouter } from '@botgate/console';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUipath } from './helpers.js';
import { clientToken } from './token.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: StartedAdapter;
let browser: Browser;
let closeConsole = () => {};

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium (.ci/run does)`);
  // The console as `botgate serve` mounts it, over the panels of the adapters started.
  server = await startUipath({
    routers: (core, runtimes) => {
      const router = createConsoleRouter(core, {
        panels: runtimes.flatMap((runtime) => (runtime.console ? [runtime.console] : [])),
        pollMs: 100,
      });
      closeConsole = () => router.close();
      return [{ paths: consolePaths, router }];
    },
  });
  await server.command(['users', 'add', 'ada'], { role: 'admin', password: 'ada-password' });
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
});

afterAll(async () => {
  await browser?.close();
  closeConsole();
});

const signIn = async (page: Page, username: string, password: string) => {
  await page.goto(`${server.url}/console`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
};

describe('the uipath panel of the operator console, in Chromium', () => {
  it('publishes a release, adds an external application and a folder, and the shown key and secret start a job', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'ada', 'ada-password');
    await page.goto(`${server.url}/console/#/automations`);
    await page.getByTestId('automation-zip-code').getByRole('button', { name: 'Publish' }).click();
    const releaseKey = (await page.getByTestId('release-key-zip-code').textContent()) ?? '';
    expect(releaseKey).toMatch(/^[0-9a-f-]{36}$/);

    await page.goto(`${server.url}/console/#/uipath-apps`);
    await page.getByLabel('New application name').fill('erp');
    await page.getByRole('button', { name: 'Add application' }).click();
    const secret = (await page.getByTestId('new-uipath-secret').textContent()) ?? '';
    const row = page.locator('tr', { has: page.getByRole('cell', { name: 'erp', exact: true }) });
    await row.waitFor();
    const clientId = ((await row.locator('td').nth(1).textContent()) ?? '').trim();
    await page.goto(`${server.url}/console/#/uipath-folders`);
    await page.getByLabel('New folder name').fill('Finance');
    await page.getByRole('button', { name: 'Add folder' }).click();
    expect(await page.getByTestId('new-uipath-folder').textContent()).toBe('2');
    await page.getByRole('cell', { name: 'Finance', exact: true }).waitFor();

    const accessToken = await clientToken(server.url, clientId, secret);
    const started = await fetch(`${server.url}/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ startInfo: { ReleaseKey: releaseKey, InputArguments: '{"iStrZipCode":"76131"}' } }),
    });
    expect(started.status).toBe(201);

    // Removed in the console, the application's token is refused on its next call.
    await page.goto(`${server.url}/console/#/uipath-apps`);
    await row.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => row.count()).toBe(0);
    const after = await fetch(`${server.url}/odata/Jobs`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(after.status).toBe(401);
    await context.close();
  });
});
