import {
  actOnKept,
  fromTypedJson,
  toTypedJson,
  validateInputs,
  type Core,
  type HeldStamp,
  type Values,
} from '@botgate/core';
import { describeRequest, type InputOf } from '@botgate/http';
import type { Request, Response } from 'express';
import type { Allocation } from '../allocations.js';
import type { AccessCheck } from '../auth/access-check.js';
import { readToken } from '../auth/read-token.js';
import type { ConcurrencyGate } from '../concurrency-gate.js';
import type { apiTaskContract } from '../contract.js';
import { ApiTaskError } from '../errors.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `POST /hotbot/:allocationId/execute`: runs the API Task now and answers its declared outputs,
 * typed. The token is checked by signature and against the current records through the access
 * stamp (on SQLite, confirmed as the run is written; on PostgreSQL, from memory while the node
 * listens), a module runs in a warm thread. The job is written as it starts and as it ends,
 * before the answer (its disk flush follows behind).
 */
export const execute =
  (core: Core, check: AccessCheck, gate: ConcurrencyGate, realtimeLimitMs: number) =>
  async (req: Request, res: Response, input: InputOf<typeof apiTaskContract.execute>) => {
    const { allocationId } = input.params;
    const token = readToken(req);
    const run = async (access: { allocation: Allocation; held?: HeldStamp }) => {
      const automation = core.catalog.get(access.allocation.automationId);
      describeRequest(res, { automationId: automation.id });

      const body: unknown = req.body ?? {};
      if (!isObject(body))
        throw new ApiTaskError('BAD_REQUEST', 'the body must be a JSON object { "botInput": { … } }');
      const botInput = body.botInput ?? {};
      if (!isObject(botInput))
        throw new ApiTaskError('BAD_REQUEST', 'botInput must be an object of typed variables', {}, 'botInput');
      const inputs: Values = Object.fromEntries(
        Object.entries(botInput).map(([name, raw]) => [name, fromTypedJson(name, raw)]),
      );
      // A request that cannot run takes no slot from one that can.
      validateInputs(automation.inputs, inputs);

      const leave = await gate.enter(access.allocation.id, access.allocation.concurrencyLimit);
      try {
        const executed = await core.jobs.execute({
          automationId: automation.id,
          adapter: 'api-task',
          inputs,
          timeoutMs: realtimeLimitMs,
          held: access.held,
        });
        return { automation, job: executed };
      } finally {
        leave();
      }
    };
    // The token's verdict as this node keeps it, confirmed as the run is written (`actOnKept`):
    // a run on a stale verdict is not written and never starts.
    const { automation, job } = await actOnKept(
      check.keptExecution(token, allocationId),
      () => check.execution(token, allocationId),
      run,
    );
    if (job.state === 'timed_out') {
      throw new ApiTaskError(
        'BOT_EXECUTION_TIMEOUT',
        `the API Task did not answer within ${Math.min(realtimeLimitMs, automation.timeoutMs)} ms`,
      );
    }
    if (job.state === 'canceled')
      throw new ApiTaskError(
        'BOT_EXECUTION_CANCELED',
        `the API Task run (job ${job.id}) was canceled before it answered`,
      );
    if (job.state !== 'succeeded')
      throw new ApiTaskError('BOT_EXECUTION_FAILED', job.error ?? `the API Task ended ${job.state}`);
    const declared = Object.keys(automation.outputs);
    const botOutput = Object.fromEntries(
      Object.entries(job.outputs)
        .filter(([name]) => declared.length === 0 || declared.includes(name))
        .map(([name, value]) => [name, toTypedJson(value)]),
    );
    res.json({ hotBotResult: { botOutput } });
  };
