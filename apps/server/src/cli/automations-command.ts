import type { Command } from 'commander';
import { withCore, type GlobalOptions } from './context.js';
import { printJson, printTable } from './format.js';

export const registerAutomationsCommand = (program: Command, global: () => GlobalOptions): void => {
  const automations = program.command('automations').description('the automation catalog');
  automations
    .command('list')
    .description('every automation with its fileId, repository path, inputs and outputs')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      await withCore(global(), async ({ core }) => {
        const list = core.catalog.list().map((a) => ({
          id: a.id,
          name: a.name,
          description: a.description,
          fileId: a.fileId,
          repositoryPath: a.repositoryPath,
          kind: a.run.kind,
          concurrency: a.concurrency,
          timeoutMs: a.timeoutMs,
          retries: a.retries,
          inputs: Object.fromEntries(
            Object.entries(a.inputs).map(([name, d]) => [name, { type: d.type, required: d.required }]),
          ),
          outputs: a.outputs,
        }));
        if (options.json) return printJson(list);
        printTable(
          ['ID', 'NAME', 'FILE ID', 'REPOSITORY PATH', 'KIND', 'INPUTS', 'OUTPUTS'],
          list.map((a) => [
            a.id,
            a.name,
            String(a.fileId),
            a.repositoryPath,
            a.kind,
            Object.entries(a.inputs)
              .map(([n, d]) => `${n}:${d.type}${d.required ? '*' : ''}`)
              .join(' ') || '-',
            Object.entries(a.outputs)
              .map(([n, t]) => `${n}:${t}`)
              .join(' ') || '-',
          ]),
        );
      });
    });
};
