import { randomUUID } from 'node:crypto';
import { BotgateError, type Core, type HeldStamp } from '@botgate/core';

export interface Skill {
  uuid: string;
  automationId: string;
  name: string;
}

interface SkillRow {
  automation_id: string;
  uuid: string;
  enabled: boolean | number;
}

/** EMILY's "Add to API": which automations the local API may trigger, each under its uuid. */
export const createSkills = (core: Core) => {
  const store = core.store('local-api');
  const table = () => store.table<SkillRow>('local_api_skills');
  // Every trigger reads its skill. They are kept in memory while the topic's stamp stands still;
  // every write below moves it, so a removed skill is refused from the next call on (also when
  // the CLI removed it, and on every node).
  const skillsTopic = 'local-api:skills';
  const byUuid = core.stamps.cache<SkillRow | null>(skillsTopic);
  const update = (automationId: string, set: Partial<SkillRow>) =>
    core.stamps.change(skillsTopic, (tx) => tx('local_api_skills').where({ automation_id: automationId }).update(set));
  const toSkill = (row: SkillRow): Skill => ({
    uuid: row.uuid,
    automationId: row.automation_id,
    name: core.catalog.find(row.automation_id)?.name ?? row.automation_id,
  });
  return {
    /** Adds (or re-adds) an automation; its uuid is made once and kept. */
    async add(automationId: string): Promise<Skill & { added: boolean }> {
      core.catalog.get(automationId);
      const existing = await table().where({ automation_id: automationId }).first();
      if (existing) {
        if (!existing.enabled) await update(automationId, { enabled: true });
        return { ...toSkill(existing), added: !existing.enabled };
      }
      const row = { automation_id: automationId, uuid: randomUUID(), enabled: true, created_at: Date.now() };
      await core.stamps.change(skillsTopic, (tx) =>
        tx('local_api_skills').insert(row).onConflict('automation_id').ignore(),
      );
      return { ...toSkill((await table().where({ automation_id: automationId }).first()) as SkillRow), added: true };
    },
    async remove(automationId: string): Promise<Skill> {
      const existing = await table().where({ automation_id: automationId, enabled: true }).first();
      if (!existing)
        throw new BotgateError('AUTOMATION_NOT_FOUND', `"${automationId}" is not added to the local API`, {
          automationId,
        });
      await update(automationId, { enabled: false });
      return toSkill(existing);
    },
    async list(): Promise<Skill[]> {
      return (await table().where({ enabled: true }).orderBy('automation_id')).map(toSkill);
    },
    /** The added skill with this uuid whose automation is still in the catalog. */
    async find(uuid: string): Promise<Skill | undefined> {
      const row = await byUuid.get(
        uuid,
        async () =>
          (
            await store.query<SkillRow>('SELECT * FROM local_api_skills WHERE uuid = ? AND enabled = ?', [uuid, true])
          )[0] ?? null,
      );
      return row && core.catalog.find(row.automation_id) ? toSkill(row) : undefined;
    },
    /**
     * The skill as this node keeps it, unchecked, with the stamp to confirm in the write that acts
     * on it (`StampedCache.peek`); undefined where `find` must answer.
     */
    peek(uuid: string): (Skill & { held: HeldStamp }) | undefined {
      const kept = byUuid.peek(uuid);
      if (!kept?.value || !core.catalog.find(kept.value.automation_id)) return undefined;
      return Object.assign(toSkill(kept.value), { held: kept.held });
    },
  };
};

export type Skills = ReturnType<typeof createSkills>;
