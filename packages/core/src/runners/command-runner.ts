import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { collectFiles } from './collect-output-files.js';
import { createSpawner, type SpawnerKind } from './create-spawner.js';
import { jobPaths } from './job-paths.js';
import { createLiveLog } from './live-log.js';
import { readOutputWorkItems } from './read-output-work-items.js';
import { killJobProcesses } from './kill-leftovers.js';
import { killProcessGroup } from './kill-process-group.js';
import { createLogCapture, lastLine } from './log-capture.js';
import type { AbortReason, RunRequest, RunResult, Runner } from './runner.js';

export interface CommandRunnerOptions {
  /** Bytes of stdout and stderr kept per job (the tail). @default 65536 */
  logLimit: number;
  /** After SIGTERM, how long a process gets to exit before SIGKILL. @default 5000 */
  killGraceMs: number;
  /** Environment handed to every command (the server's own, unless configured otherwise). */
  env: NodeJS.ProcessEnv;
  /** This node's id, given to every job process so that a restarted node can tell its predecessor's leftovers. */
  nodeId: string;
  /** @default 'auto' */
  spawner?: SpawnerKind;
  /** Told when the native spawner (this file) cannot run here and spawner.mjs takes over. */
  onNativeSpawnerUnusable?: (file: string) => void;
}

/**
 * Arguments that name a file of the automation's folder are made absolute: the process runs in
 * the job's working folder, where `main.py` of `[python3, main.py]` would not be found.
 */
const resolveArguments = (command: string[], automationDir: string): string[] =>
  command.map((part, index) => {
    // `node` is the Node.js that runs botgate, whatever PATH the service manager gives us.
    if (index === 0 && part === 'node') return process.execPath;
    return !isAbsolute(part) && existsSync(join(automationDir, part)) ? join(automationDir, part) : part;
  });

export const createCommandRunner = (options: CommandRunnerOptions): Runner => {
  const spawner = createSpawner({ kind: options.spawner, onNativeUnusable: options.onNativeSpawnerUnusable });
  return {
    async run(request: RunRequest): Promise<RunResult> {
      const { automation, workDir } = request;
      if (automation.run.kind !== 'command') throw new Error(`${automation.id} is not a command automation`);
      const paths = jobPaths(workDir);
      // Synchronous on purpose: four small local file operations take tens of microseconds, while
      // four trips through libuv's thread pool took ~2.5 ms of every job's start (bench/ suite 5).
      mkdirSync(paths.outputDir, { recursive: true });
      mkdirSync(paths.control, { recursive: true });
      writeFileSync(paths.input, JSON.stringify(request.inputs, null, 2));
      // Robocorp's FileAdapter reads a list of work items, each with its payload and files (name → path).
      const items = request.workItems.map((item) => ({
        payload: item.payload,
        files: Object.fromEntries(Object.entries(item.files).map(([name, file]) => [name, join(workDir, file)])),
      }));
      writeFileSync(paths.workItemsIn, JSON.stringify(items));

      const [program, ...args] = resolveArguments(automation.run.command, automation.dir);
      const env: NodeJS.ProcessEnv = {
        ...options.env,
        BOTGATE_JOB_ID: String(request.jobId ?? ''),
        BOTGATE_JOB_DIR: workDir,
        BOTGATE_NODE_ID: options.nodeId,
        BOTGATE_AUTOMATION_DIR: automation.dir,
        BOTGATE_INPUT: paths.input,
        BOTGATE_OUTPUT: paths.output,
        RC_WORKITEM_ADAPTER: 'FileAdapter',
        RC_WORKITEM_INPUT_PATH: paths.workItemsIn,
        RC_WORKITEM_OUTPUT_PATH: paths.workItemsOut,
        RPA_WORKITEMS_ADAPTER: 'RPA.Robocorp.WorkItems.FileAdapter',
        RPA_INPUT_WORKITEM_PATH: paths.workItemsIn,
        RPA_OUTPUT_WORKITEM_PATH: paths.workItemsOut,
      };
      const log = createLogCapture(options.logLimit);
      const base = { outputs: {}, outputFiles: [], outputWorkItems: [], exitCode: null };

      const live = createLiveLog(paths.log);
      const child = spawner.spawn(
        { program: program as string, args, cwd: workDir, env, pidFile: paths.pid },
        (chunk) => {
          log.write(chunk);
          live.write(chunk);
        },
      );
      const pid = await child.started;

      let stopped: 'timeout' | AbortReason | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      const stop = (why: 'timeout' | AbortReason) => {
        if (stopped !== undefined || pid === undefined) return;
        stopped = why;
        killProcessGroup(pid, 'SIGTERM');
        killTimer = setTimeout(() => killProcessGroup(pid, 'SIGKILL'), options.killGraceMs);
      };
      const timeoutMs = request.timeoutMs ?? automation.timeoutMs;
      const timeoutTimer = setTimeout(() => stop('timeout'), timeoutMs);
      const onAbort = () => stop(request.signal.reason as AbortReason);
      if (request.signal.aborted) onAbort();
      else request.signal.addEventListener('abort', onAbort, { once: true });

      const exit = await child.exited;
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      request.signal.removeEventListener('abort', onAbort);
      // The spawner that knew of the run is gone, with what it had not told yet (the pid, should
      // it have died before saying it) and whatever left the group: every process this node
      // started from the job's folder goes, as recovery kills what a dead node left, since the run
      // may start again.
      if (exit.lost) killJobProcesses(workDir, options.nodeId);
      rmSync(paths.pid, { force: true });
      live.end();

      const text = log.text();
      if (exit.spawnError !== undefined) {
        return {
          ...base,
          status: 'failed',
          error: `cannot start ${program}: ${exit.spawnError}`,
          errorCode: 'START_FAILED',
          log: text,
        };
      }
      if (exit.lost) {
        return {
          ...base,
          status: 'failed',
          error: "botgate's spawner process ended during the run; the command was killed",
          errorCode: 'INTERRUPTED',
          log: text,
        };
      }
      const outputFiles = await collectFiles(paths.outputDir);
      const outputWorkItems = readOutputWorkItems(paths.workItemsOut, workDir);
      if (stopped === 'timeout') {
        return {
          ...base,
          outputFiles,
          outputWorkItems,
          exitCode: exit.code,
          status: 'timed_out',
          error: `timed out after ${timeoutMs} ms`,
          errorCode: 'TIMEOUT',
          log: text,
        };
      }
      if (stopped !== undefined) {
        return {
          ...base,
          outputFiles,
          outputWorkItems,
          exitCode: exit.code,
          status: 'aborted',
          abortReason: stopped,
          error: stopped,
          errorCode: stopped === 'canceled' ? 'CANCELED' : 'INTERRUPTED',
          log: text,
        };
      }
      if (exit.code !== 0) {
        const why = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
        const message = lastLine(text);
        return {
          ...base,
          outputFiles,
          outputWorkItems,
          exitCode: exit.code,
          status: 'failed',
          error: message ? `${why}: ${message}` : why,
          errorCode: 'EXIT_CODE',
          log: text,
        };
      }
      let outputs: Record<string, unknown> = {};
      // Synchronous, as the job's folder above: parsing holds the event loop anyway.
      if (existsSync(paths.output)) {
        try {
          const parsed: unknown = JSON.parse(readFileSync(paths.output, 'utf8'));
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
            throw new Error('not a JSON object');
          outputs = parsed as Record<string, unknown>;
        } catch (error) {
          return {
            ...base,
            outputFiles,
            outputWorkItems,
            exitCode: 0,
            status: 'failed',
            error: `BOTGATE_OUTPUT is not a JSON object: ${(error as Error).message}`,
            errorCode: 'OUTPUT_INVALID',
            log: text,
          };
        }
      }
      return {
        outputs,
        outputFiles,
        outputWorkItems,
        exitCode: 0,
        status: 'succeeded',
        error: null,
        errorCode: null,
        log: text,
      };
    },
    close: () => spawner.close(),
  };
};
