import type { Core } from '@botgate/core';
import { automationNamed, baseUrlOf, type ConsolePanel, automationParams, consoleFailure } from '@botgate/http';
import { createSkills } from './skills.js';

const curlOf = (base: string, uuid: string) => `curl "${base}/api?uuid=${uuid}"`;

/** EMILY's "Add to API" in the console: each automation's uuid and a ready call. */
export const createLocalApiPanel = (core: Core): ConsolePanel => {
  const skills = createSkills(core);
  return {
    section: 'localApi',
    async exposure(base) {
      const added = new Map((await skills.list()).map((skill) => [skill.automationId, skill.uuid]));
      return Object.fromEntries(
        core.catalog.list().map((automation) => {
          const uuid = added.get(automation.id);
          return [automation.id, uuid === undefined ? null : { uuid, curl: curlOf(base, uuid) }];
        }),
      );
    },
    routes: [
      {
        method: 'post',
        path: '/automations/:id/local-api',
        operation: 'expose',
        summary: 'EMILY’s “Add to API”: the uuid and a ready call',
        params: automationParams,
        responses: { 200: { description: 'The uuid and curl line' }, 404: consoleFailure('No such automation') },
        access: 'anyone',
        async handler(req, res, input) {
          const skill = await skills.add(automationNamed(core, input.params.id).id);
          res.json({ uuid: skill.uuid, curl: curlOf(baseUrlOf(req), skill.uuid) });
        },
      },
      {
        method: 'delete',
        path: '/automations/:id/local-api',
        operation: 'expose',
        summary: 'Take the automation off the local API',
        params: automationParams,
        responses: { 204: { description: 'Done' }, 404: consoleFailure('No such automation, or it is not added') },
        access: 'anyone',
        async handler(_req, res, input) {
          await skills.remove(automationNamed(core, input.params.id).id);
          res.status(204).end();
        },
      },
    ],
  };
};
