import type { AdapterCommand, AdapterDescriptor } from '@botgate/core';
import { localApiMigrations } from './migrations/index.js';
import { createSkills, type Skill } from './skills.js';
import { localApiOpenApi } from './contract.js';

const add: AdapterCommand<Skill & { added: boolean }> = {
  path: ['add'],
  description: 'EMILY\'s "Add to API": make an automation triggerable and print its uuid',
  args: [{ name: 'automation', description: 'automation id' }],
  run: (core, [automationId]) => createSkills(core).add(automationId as string),
  format: (skill) =>
    `${skill.automationId}: uuid ${skill.uuid}${skill.added ? '' : ' (already added)'}\n  GET|POST /api?uuid=${skill.uuid}`,
};

const remove: AdapterCommand<Skill> = {
  path: ['remove'],
  description: 'take an automation off the local API (its uuid is kept for a later add)',
  args: [{ name: 'automation', description: 'automation id' }],
  run: (core, [automationId]) => createSkills(core).remove(automationId as string),
  format: (skill) => `${skill.automationId} removed from the local API`,
};

const list: AdapterCommand<Skill[]> = {
  path: ['list'],
  description: 'automations added to the local API, with their uuids',
  run: (core) => createSkills(core).list(),
  format: (skills) =>
    skills.length === 0
      ? 'no automation is added to the local API'
      : skills.map((s) => `${s.uuid}  ${s.automationId}  (${s.name})`).join('\n'),
};

export const localApiDescriptor: AdapterDescriptor = {
  name: 'local-api',
  migrations: localApiMigrations,
  migrationTable: 'local_api_migrations',
  commands: [add, remove, list],
  openApi: localApiOpenApi,
  // A job's msUnixTime.
  removeJobRows: async (tx, jobIds) => ({
    rows: { local_api_jobs: await tx.table('local_api_jobs').whereIn('job_id', jobIds).delete() },
  }),
};
