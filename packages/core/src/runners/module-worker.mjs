// Runs inside a worker thread of the module pool, and on the main thread for `isolation: none`.
// Kept as plain JavaScript so the same file serves the TypeScript sources under test and the
// built package; and as one file, since the package build and the server's bundle copy it alone.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Console } from 'node:console';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';

const modules = new Map();

const load = (path) => {
  let loading = modules.get(path);
  if (!loading) {
    loading = import(pathToFileURL(path).href);
    modules.set(path, loading);
    loading.catch(() => modules.delete(path));
  }
  return loading;
};

const callModule = async ({ modulePath, inputs, context }) => {
  const exported = (await load(modulePath)).default;
  if (typeof exported !== 'function') {
    throw new Error(`${modulePath} must export a default function (inputs, ctx) => outputs`);
  }
  let wroteFiles = false;
  const ctx = {
    ...context,
    // The folder exists only when needed: most module jobs never touch the disk.
    outputDir() {
      const dir = join(context.workDir, 'output');
      mkdirSync(dir, { recursive: true });
      wroteFiles = true;
      return dir;
    },
  };
  const outputs = await exported(inputs, ctx);
  // Whether output files may exist: the runner looks at the disk only then.
  return { outputs: outputs === undefined || outputs === null ? {} : outputs, wroteFiles };
};

// What a module prints goes to the job that printed it, told apart by async context: on the
// main thread several `none` jobs run at once between the server's own work.

/** The job whose module call this code descends from: `{ open, write(bytes) }`. */
const printing = new AsyncLocalStorage();
let installed = false;
/** Set in a worker thread of the pool, where only modules run, one at a time. */
let wholeThread = false;
/** In such a thread, the job running now. */
let current;
/** On the main thread, module calls in flight. */
let calls = 0;
let stdoutWrite;

/**
 * Which job a write belongs to. In a module thread every write is a module's, so one that lost its
 * async context goes to the job running there.
 */
const claim = () => printing.getStore() ?? (wholeThread ? current : undefined);

/**
 * In a module thread, output of a module whose job has ended (a timer firing after it returned,
 * even during a later job) belongs to no job's log; raw text would break the server's JSON log
 * lines, so it becomes one of them, a warning like pino's, on stdout. On the main thread such
 * output passes untouched, as all output outside a running job does (see captureOutput).
 */
const logLine = (bytes) =>
  stdoutWrite(
    `${JSON.stringify({ level: 40, time: Date.now(), msg: 'module output outside a job', text: bytes.toString('utf8') })}\n`,
  );

const patchStream = (stream) => {
  const write = stream.write;
  stream.write = function (chunk, ...rest) {
    const job = claim();
    // Not a running job's: the write it was. An empty one too, which is how piscina waits for a
    // thread's stdout to drain: its callback must come when the stream has.
    if ((!wholeThread && !job?.open) || chunk.length === 0) return write.call(this, chunk, ...rest);
    const [encoding, callback] = typeof rest[0] === 'function' ? [undefined, rest[0]] : rest;
    // A copy: the caller may reuse its buffer once write() returns.
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk);
    if (job?.open) job.write(bytes);
    else logLine(bytes);
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  };
};

/**
 * Console methods print to process.stdout/stderr, unless the global console was replaced (a test
 * runner does): inside a job they print through a console of our own on the patched streams.
 */
const patchConsole = () => {
  const ours = new Console({ stdout: process.stdout, stderr: process.stderr, colorMode: false });
  for (const name of Object.keys(console)) {
    const theirs = console[name];
    if (typeof theirs !== 'function' || typeof ours[name] !== 'function') continue;
    console[name] = (...args) => (claim()?.open ? ours[name](...args) : theirs.apply(console, args));
  }
};

/**
 * Runs `fn` with what it prints (console, process.stdout, process.stderr) going to `job.write`,
 * until it settles or the caller clears `job.open`. The streams are patched at the first call, so
 * a process that runs no module here keeps its own. `inOwnThread`: the caller is a pool thread
 * that runs nothing but modules.
 *
 * On Node 20, an enabled AsyncLocalStorage slows every promise of its thread (a promise-bound loop
 * on the main thread ran 3–6× slower once a `none` module had run), so there it is disabled
 * whenever no module call is in flight. The price: a `none` module's output after its call
 * settled has lost its job and passes untouched, raw among the server's log lines.
 */
const captureOutput = async (job, fn, inOwnThread) => {
  if (!installed) {
    installed = true;
    wholeThread = inOwnThread;
    stdoutWrite = process.stdout.write.bind(process.stdout);
    patchStream(process.stdout);
    patchStream(process.stderr);
    patchConsole();
  }
  if (wholeThread) current = job;
  else calls += 1;
  try {
    return await printing.run(job, fn);
  } finally {
    job.open = false;
    if (current === job) current = undefined;
    if (!wholeThread && --calls === 0) printing.disable();
  }
};

/**
 * Calls the module with what it prints going to `output.write(bytes)` (see captureOutput).
 * A throw is returned, not thrown: a thread's caller learns with it how much was printed before.
 */
export const runModule = async (task, output, inOwnThread = false) => {
  try {
    return await captureOutput(output, () => callModule(task), inOwnThread);
  } catch (error) {
    return { threw: error };
  }
};

/**
 * A pool thread's task. What the module prints goes to the main thread as it comes, on the port
 * piscina leaves free (the pool's `message` event); `printed` says how many pieces to wait for,
 * since they and this result travel by different ports.
 */
export default async function runInThread({ outputId, ...task }) {
  let printed = 0;
  const output = {
    open: true,
    write(bytes) {
      printed += 1;
      // Its own buffer: a small Buffer is a slice of an 8 KiB pool, which would be cloned whole.
      const copy = new Uint8Array(bytes);
      parentPort.postMessage({ outputId, bytes: copy }, [copy.buffer]);
    },
  };
  return { ...(await runModule(task, output, true)), printed };
}
