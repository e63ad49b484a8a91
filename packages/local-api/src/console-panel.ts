import type { Core } from '@botgate/core';
import {
  automationNamed,
  automationParams,
  baseUrlOf,
  consoleFailure,
  type ConsolePanel,
  type PanelCard,
} from '@botgate/http';
import { createSkills } from './skills.js';

const curlOf = (base: string, uuid: string) => `curl "${base}/api?uuid=${uuid}"`;

/** EMILY's switch: on the API with a uuid and a ready call, or not. */
const cardOf = (id: string, added: { uuid: string; curl: string } | null): PanelCard => {
  const path = `/automations/${encodeURIComponent(id)}/local-api`;
  return {
    title: 'EMILY local API',
    notes: [],
    values: added
      ? [
          { label: 'uuid', value: added.uuid, testId: `uuid-${id}` },
          { label: 'curl', value: added.curl, testId: `local-curl-${id}` },
        ]
      : [],
    actions: [
      added ? { label: 'Remove from API', method: 'DELETE', path } : { label: 'Add to API', method: 'POST', path },
    ],
  };
};

/** EMILY's "Add to API" in the console: each automation's uuid and a ready call. */
export const createLocalApiPanel = (core: Core): ConsolePanel => {
  const skills = createSkills(core);
  return {
    section: 'localApi',
    async exposure({ baseUrl }) {
      const added = new Map((await skills.list()).map((skill) => [skill.automationId, skill.uuid]));
      return Object.fromEntries(
        core.catalog.list().map((automation) => {
          const uuid = added.get(automation.id);
          const data = uuid === undefined ? null : { uuid, curl: curlOf(baseUrl, uuid) };
          return [automation.id, { data, card: cardOf(automation.id, data) }];
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
