import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { adaptersOf } from '../src/adapter-runtimes.js';
import { adapterModules } from '../src/adapters.js';
import { loadConfig, settingsHelp } from '../src/load-config.js';
import {
  botgateBin,
  cli,
  cliJson,
  freshEnvs,
  makeCatalog,
  observe,
  repoRoot,
  startCli,
  startServer,
  useWorkspace,
  waitFor,
  waitForState,
} from './helpers.js';

const root = useWorkspace();
const catalog = makeCatalog(root, {
  // Prints the program its parent runs: the spawner that started it.
  parentProgram: { from: 'sleep', manifest: 'run:\n  command: [sh, -c, "readlink /proc/$PPID/exe"]\n' },
  // 5,000 lines of output: more than a pipe holds (64 KiB).
  chatty: {
    from: 'sleep',
    manifest: 'run:\n  command: [node, -e, "for (let i = 0; i < 5000; i++) console.log(`line ${i} of a long log`)"]\n',
  },
});
const fresh = freshEnvs(root, catalog);
const sh = promisify(execFile);

/** One line of text on stderr starting with `botgate: `, and nothing else. */
const oneLine = (stderr: string) => {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^botgate: /);
  return stderr.trim();
};

describe('the CLI as an operator meets it', () => {
  it('ends quietly when its reader stops early (| head)', async () => {
    const { env } = await fresh();
    const job = await cliJson<{ id: number; state: string }>(['run', 'chatty', '--wait'], env);
    expect(job.state).toBe('succeeded');
    // Its log is written as it is read, so the writes after `head` exits meet a closed pipe.
    const { stdout, stderr } = await sh(
      'bash',
      ['-o', 'pipefail', '-c', `"${process.execPath}" "${botgateBin}" jobs show ${job.id} --follow | head -2`],
      { env: { ...process.env, ...env } },
    );
    expect([stdout, stderr]).toEqual(['line 0 of a long log\nline 1 of a long log\n', '']);
  });

  it('serve stops as on SIGTERM when the reader of its log goes away, says why, and exits 1', async () => {
    const { env } = await fresh({ BOTGATE_SHUTDOWN_GRACE: '1s' });
    const server = await startServer(env);
    const core = await observe(env.BOTGATE_DATA_DIR as string, catalog, env);
    const { id } = await cliJson<{ id: number }>(['run', 'sleep', '--input', 'seconds=60'], env);
    await waitForState(core, id, ['running']);
    let stderr = '';
    server.process.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Its reader gone: the next log line (this request's, unless one still buffered goes first
    // and the server is already stopping, refusing it) meets a closed pipe.
    server.process.stdout?.destroy();
    await fetch(`${server.url}/healthz`).catch(() => undefined);
    expect(await server.exited).toBe(1);
    expect(stderr).toBe('botgate: the log on stdout cannot be written (EPIPE); stopping\n');
    // Stopped as on SIGTERM: its running job was handed back to the queue, not left running.
    expect((await core.jobs.get(id)).state).toBe('queued');
  }, 60_000);

  it('serve stops on SIGTERM when the reader of its log went away unnoticed', async () => {
    const { env } = await fresh();
    const server = await startServer(env);
    server.process.stdout?.destroy();
    // No line written since: the pipe's end is found by the shutdown's own lines.
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(1);
  }, 30_000);

  it('says what is wrong in one line, or one JSON document, and exits 1', async () => {
    const { env } = await fresh();
    const missing = await cli(['run', 'file-report', '--file', './nope.txt'], env);
    expect([missing.code, oneLine(missing.stderr)]).toEqual([1, 'botgate: --file ./nope.txt: no such file']);
    const asJson = await cli(['run', 'file-report', '--file', './nope.txt', '--json'], env);
    expect([asJson.code, JSON.parse(asJson.stdout), asJson.stderr]).toEqual([
      1,
      { error: 'INVALID_FILE', message: '--file ./nope.txt: no such file' },
      '',
    ]);
    const misspelt = await cli(['jobs', 'list'], { ...env, BOTGATE_CONCURENCY: '2' });
    expect(oneLine(misspelt.stderr)).toContain(
      'BOTGATE_CONCURENCY: not a botgate setting (did you mean BOTGATE_CONCURRENCY?)',
    );
    const badValue = await cli(['jobs', 'list'], { ...env, BOTGATE_PORT: 'abc' });
    expect(badValue.stderr).toContain('BOTGATE_PORT: expected a port number, 0 to 65535, got "abc"');
    const unreachable = await cli(['jobs', 'list'], {
      ...env,
      BOTGATE_DATABASE: 'postgres://someone:secret@127.0.0.1:1/botgate?password=also-secret',
    });
    expect([unreachable.code, oneLine(unreachable.stderr)]).toEqual([
      1,
      'botgate: cannot use the database postgres://127.0.0.1:1/botgate: connect ECONNREFUSED 127.0.0.1:1',
    ]);
    // On SQLite the data folder holds the database; on PostgreSQL a listing needs no folder.
    if (!env.BOTGATE_DATABASE) {
      const file = join(root, 'a-file');
      writeFileSync(file, '');
      const unusable = await cli(['jobs', 'list'], { ...env, BOTGATE_DATA_DIR: join(file, 'data') });
      expect([unusable.code, oneLine(unusable.stderr)]).toEqual([
        1,
        expect.stringContaining(`cannot use the data folder ${join(file, 'data')}: ENOTDIR`),
      ]);
      const folder = join(root, 'a-folder');
      mkdirSync(folder, { recursive: true });
      const notAFile = await cli(['jobs', 'list'], { ...env, BOTGATE_DATABASE: folder });
      expect(oneLine(notAFile.stderr)).toContain(`cannot use the database ${folder}`);
    }
  });

  it('refuses a port in use at serve in one line', async () => {
    const { env } = await fresh();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const refused = await cli(['serve'], { ...env, BOTGATE_PORT: String(port) });
      expect([refused.code, oneLine(refused.stderr)]).toEqual([
        1,
        `botgate: 127.0.0.1:${port} is in use by another process; choose another port (port, or BOTGATE_PORT)`,
      ]);
    } finally {
      holder.close();
    }
  });

  it('run warns when no worker will take the job, and --wait runs it here, saying so and streaming it', async () => {
    const { env } = await fresh();
    const queued = await cli(['run', 'sleep', '--input', 'seconds=0'], env);
    expect(queued.stdout).toMatch(/^queued job \d+\n$/);
    expect(oneLine(queued.stderr)).toMatch(/no worker is running: job \d+ waits until `botgate serve` starts/);
    const here = await cli(['run', 'sleep', '--input', 'seconds=0', '--wait'], env);
    expect(here.code).toBe(0);
    expect(here.stderr).toMatch(/no worker is running \(`botgate serve`\): job (\d+) runs here\n/);
    expect(here.stderr).toContain('sleeping 0 s as process');
    expect(here.stderr).toMatch(/job \d+: succeeded\n$/);
    // The log went to stderr as it came; stdout has the job, without repeating it.
    expect(here.stdout).toMatch(/state\s+succeeded/);
    expect(here.stdout).not.toContain('sleeping 0 s');
  });

  it.skipIf(process.platform !== 'linux')(
    'starts commands through the spawner the build made, copied next to the bundle',
    async () => {
      const { env } = await fresh();
      const job = await cliJson<{ state: string; log: string }>(['run', 'parentProgram', '--wait'], env);
      expect(job.state).toBe('succeeded');
      // Where core's build compiled spawner.c, the bundle has it and uses it; else spawner.mjs runs in node.
      const native = existsSync(join(repoRoot, 'packages/core/dist/runners/spawner'));
      expect(job.log.trim()).toBe(realpathSync(native ? join(repoRoot, 'apps/server/dist/spawner') : process.execPath));
    },
  );

  it('run --wait leaves the job to a live server, streams its states and log, and Ctrl-C leaves it running', async () => {
    const { dataDir, env } = await fresh();
    const server = await startServer(env);
    const core = await observe(dataDir, catalog, env);
    try {
      const waited = await cli(['run', 'sleep', '--input', 'seconds=0', '--wait', '--json'], env);
      const job = JSON.parse(waited.stdout) as { id: number; state: string; leaseOwner: string | null };
      // --json: only the final document, nothing on stderr.
      expect([waited.code, job.state, waited.stderr]).toEqual([0, 'succeeded', '']);
      const runner = (await core.jobs.attempts(await core.jobs.get(job.id)))[0];
      expect(runner?.node).toMatch(new RegExp(`/${server.process.pid}/`));

      const following = startCli(['run', 'sleep', '--input', 'seconds=30', '--wait'], env);
      await waitFor('the log line of the running job', async () =>
        following.stderr().includes('sleeping 30 s as process') ? true : undefined,
      );
      expect(following.stderr()).toMatch(/job (\d+) is queued; node .*\/\d+\/\w+ will run it\n/);
      expect(following.stderr()).toMatch(/job \d+: running\n/);
      following.process.kill('SIGINT');
      const stopped = await following.ended;
      const id = Number(/job (\d+) is queued/.exec(stopped.stderr)?.[1]);
      expect(stopped.code).toBe(130);
      expect(stopped.stderr).toContain(
        `stopped waiting; job ${id} goes on. Follow it with: botgate jobs show ${id} --follow`,
      );
      expect((await core.jobs.get(id)).state).toBe('running');

      // jobs show --follow, and Ctrl-C there too; then the cancel ends it.
      const show = startCli(['jobs', 'show', String(id), '--follow'], env);
      await waitFor('the followed log', async () =>
        show.stdout().includes('sleeping 30 s as process') ? true : undefined,
      );
      await cli(['jobs', 'cancel', String(id)], env);
      const shown = await show.ended;
      expect(shown.stdout).toMatch(new RegExp(`job ${id}: canceled`));
      expect(shown.stdout.match(/sleeping 30 s as process/g)).toHaveLength(1);
      expect(shown.code).toBe(1);
      await waitForState(core, id, ['canceled']);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);

  it('run --wait takes the job itself when the only worker stops before taking it', async () => {
    const { env } = await fresh({ BOTGATE_SHUTDOWN_GRACE: '1s' });
    const server = await startServer(env);
    // Both of sleep's places (concurrency 2) taken: the next one waits in the queue.
    for (let i = 0; i < 2; i++) await cli(['run', 'sleep', '--input', 'seconds=60'], env);
    const core = await observe(env.BOTGATE_DATA_DIR as string, catalog, env);
    await waitFor('both running', async () => ((await core.jobs.counts()).running === 2 ? true : undefined));
    const waiting = startCli(['run', 'sleep', '--input', 'seconds=0', '--wait'], env);
    await waitFor('the job queued for the server', async () =>
      waiting.stderr().includes('will run it') ? true : undefined,
    );
    server.process.kill('SIGTERM');
    await server.exited;
    const ended = await waiting.ended;
    expect(ended.code).toBe(0);
    expect(ended.stderr).toMatch(/no worker is running any more: job \d+ runs here\n/);
    expect(ended.stderr).toMatch(/job \d+: succeeded\n$/);
  }, 60_000);

  it('--version prints the version of the package it runs from', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'apps/server/package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V'])
      expect(await cli([flag], {})).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('--help lists every command, serve --help every setting', async () => {
    const help = (await cli(['--help'], {})).stdout;
    // Every registered adapter's command group and root commands, without naming them here.
    const adapters = adaptersOf(loadConfig({ env: {}, cwd: root }));
    const words = [
      'serve',
      'automations',
      'run',
      'jobs',
      ...adapters.flatMap((adapter) => adapter.commands.map((c) => (c.root ? (c.path[0] as string) : adapter.name))),
    ];
    for (const command of new Set(words)) expect(help).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    const serveHelp = (await cli(['serve', '--help'], {})).stdout;
    expect(serveHelp).toContain(settingsHelp());
    for (const adapter of adapterModules) expect(settingsHelp()).toContain(`  ${adapter.section}.`);
  });

  it('keeps the README true: its configuration table names every key, its tour every automation', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Layout'));
    // A section's keys are listed as `section.first`, `.second`, … in one row.
    const named = new Set(
      [...table.matchAll(/^\| (.+?) \|/gm)].flatMap(([, cell]) => {
        const keys = [...(cell as string).matchAll(/`([\w.]+)`/g)].map((m) => m[1] as string);
        const section = keys[0]?.includes('.') ? (keys[0] as string).split('.')[0] : undefined;
        return keys.map((key) => (key.startsWith('.') ? `${section}${key}` : key));
      }),
    );
    const keys = settingsHelp()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/)[0] as string);
    expect(keys.filter((key) => !named.has(key))).toEqual([]);

    const tour = readme.slice(
      readme.indexOf('$ npx botgate automations list'),
      readme.indexOf('$ npx botgate run zip-code'),
    );
    const listed = [...tour.matchAll(/^(\S+)\s{2,}/gm)].map((m) => m[1]).filter((id) => id !== 'ID' && id !== '$');
    const { env } = await fresh();
    const automations = await cliJson<Array<{ id: string }>>(['automations', 'list'], {
      ...env,
      BOTGATE_CATALOG: join(repoRoot, 'examples'),
    });
    expect(listed).toEqual(automations.map((a) => a.id));
  });

  it('installs on PATH from the repository, and works from another folder', async () => {
    const prefix = join(root, 'global');
    await sh('npm', [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--offline',
      '--no-audit',
      '--no-fund',
      join(repoRoot, 'apps/server'),
    ]);
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    const { stdout } = await sh(join(prefix, 'bin', 'botgate'), ['automations', 'list', '--json'], {
      cwd: elsewhere,
      env: { ...process.env, BOTGATE_CATALOG: catalog, BOTGATE_DATA_DIR: join(elsewhere, 'data') },
    });
    expect((JSON.parse(stdout) as Array<{ id: string }>).map((a) => a.id)).toContain('echo');
  });
});
