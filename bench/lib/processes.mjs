// Child processes of a benchmark: servers (each in its own process, port read from the first
// JSON line that has one), the botgate CLI, and the load generator.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const root = new URL('../..', import.meta.url).pathname;
export const botgateBin = join(root, 'apps/server/bin/botgate.js');

/** Starts `node <args>` and resolves once it prints `{"port": …}`; `rssMb()` reads its resident memory, `cpuMs()` its CPU time. */
export const startServer = (args, env = process.env) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const fail = (code) => reject(new Error(`${args.join(' ')} exited ${code} before it listened`));
    child.on('exit', fail);
    createInterface({ input: child.stdout }).on('line', (line) => {
      let port;
      try {
        port = JSON.parse(line).port;
      } catch {
        return;
      }
      if (!port) return;
      child.off('exit', fail);
      resolve({
        child,
        port,
        url: `http://127.0.0.1:${port}`,
        startMs: performance.now() - started,
        rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
        // CPU time it has used (user + system; Linux counts in ticks of 10 ms): per request, a
        // figure a shared machine's slow moments move far less than a rate.
        cpuMs: () => {
          const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
          return (Number(fields[11]) + Number(fields[12])) * 10;
        },
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', done);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      });
    });
  });

/** Runs a botgate CLI command with `--json` and resolves with its parsed answer. */
export const botgate = (args, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [botgateBin, ...args, '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`botgate ${args.join(' ')} exited ${code}`)),
    );
  });

/**
 * One autocannon run in its own process. `duration` in seconds, or `amount` requests.
 * Resolves with { requests, rps, p50, p99, p999 (ms), non2xx, errors }; a run with failed
 * requests rejects, since a fast error is not a result.
 */
export const load = (options) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bench/lib/autocannon-child.mjs'), JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const result = JSON.parse(out);
      if (result.non2xx > 0 || result.errors > 0)
        return reject(
          new Error(
            `${options.method ?? 'GET'} ${options.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`,
          ),
        );
      resolve(result);
    });
  });
