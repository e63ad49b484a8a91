import type { AdapterDescriptor } from '@botgate/core';
import type { Command } from 'commander';
import { withCore, type GlobalOptions } from './context.js';
import { printJson } from './format.js';

/** Turns each adapter's framework-free commands into `botgate <adapter> <words…>` commands. */
export const registerAdapterCommands = (program: Command, global: () => GlobalOptions, adapters: readonly AdapterDescriptor[]): void => {
  for (const adapter of adapters) {
    const group = program.command(adapter.name).description(`the ${adapter.name} adapter`);
    for (const spec of adapter.commands) {
      let parent = group;
      for (const word of spec.path.slice(0, -1)) parent = parent.commands.find((c) => c.name() === word) ?? parent.command(word);
      const command = parent.command(spec.path.at(-1) as string).description(spec.description);
      for (const arg of spec.args ?? []) command.argument(`<${arg.name}>`, arg.description);
      for (const option of spec.options ?? []) command.option(`--${option.name} <value>`, option.description);
      command.option('--json', 'print one JSON document');
      command.action(async (...received: unknown[]) => {
        const args = received.slice(0, spec.args?.length ?? 0) as string[];
        const options = received[spec.args?.length ?? 0] as Record<string, string | undefined> & { json?: boolean };
        await withCore(global(), async ({ core }) => {
          const result = await spec.run(core, args, options);
          if (options.json) printJson(result);
          else console.log(spec.format(result));
        });
      });
    }
  }
};
