// The command runner's spawner: a small long-lived process that starts jobs' commands for the
// server (create-spawner.ts). Node starts a child by fork(), and a fork marks every page of the
// parent's memory copy-on-write: the server's writes after each command's start then faulted
// page by page (a job's end, a 0.1 ms UPDATE, took 2.5 ms after a spawn), and its own spawn and
// exit handling slowed with them. Here the fork is this small process's. Where the build found a
// C compiler, spawner.c does this job instead, without a fork (decision 0017); this one needs
// nothing but Node.
//
// Messages, over the IPC channel (advanced serialization, so output stays Buffers):
//   in:  { type: 'spawn', id, program, args, cwd, env, pidFile }
//   out: { type: 'spawned', id, pid } | { type: 'output', id, chunk } |
//        { type: 'exit', id, code, signal } | { type: 'exit', id, spawnError }
// Plain JavaScript and node: modules only: it starts in tens of milliseconds.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const send = (message) => {
  if (process.connected) process.send(message);
};

const killGroup = (pid) => {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
};

const start = ({ id, program, args, cwd, env, pidFile }) => {
  let child;
  try {
    child = spawn(program, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    send({ type: 'exit', id, spawnError: error.message });
    return;
  }
  if (child.pid === undefined) {
    // It did not start (ENOENT, EACCES): the reason comes as 'error'.
    child.once('error', (error) => send({ type: 'exit', id, spawnError: error.message }));
    return;
  }
  // Written before the server hears of the process: whoever recovers the job after a crash finds
  // the process group to kill (and, failing that, the job's folder in its environment).
  try {
    writeFileSync(pidFile, String(child.pid));
  } catch {
    // The job's folder is unwritable (a full disk): the environment still names the job.
  }
  send({ type: 'spawned', id, pid: child.pid });
  const onOutput = (chunk) => send({ type: 'output', id, chunk });
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  child.once('exit', (code, signal) => {
    // Whatever the program left running in its group (background children) ends with it; then
    // the rest of its output, for at most a second (a child that left the group may hold the pipes).
    killGroup(child.pid);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      send({ type: 'exit', id, code, signal });
    };
    if (child.stdout.closed && child.stderr.closed) finish();
    else child.once('close', finish);
    setTimeout(finish, 1000).unref();
  });
};

process.on('message', (message) => {
  if (message && message.type === 'spawn') start(message);
});
// The server is gone: its jobs' processes live on, detached, for the recovery to find.
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole foreground group, this process with the server; the server's shutdown
// lets running commands finish, which needs this process to hear their ends. It leaves with the
// server (above).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});
