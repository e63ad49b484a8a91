import type { Command } from 'commander';
import { adaptersOf } from '../adapter-runtimes.js';
import { loadConfig } from '../load-config.js';
import { withCore, type GlobalOptions } from './context.js';
import { printJson } from './format.js';

/** Turns each adapter's framework-free commands into `botgate <adapter> <words…>` commands. */
export const registerAdapterCommands = (program: Command, global: () => GlobalOptions): void => {
  // The command tree is the same for any configuration; each command reads the real one when it runs.
  const shapes = adaptersOf(loadConfig({ env: {}, cwd: process.cwd(), path: undefined }));
  for (const [index, adapter] of shapes.entries()) {
    const group = adapter.commands.some((c) => !c.root)
      ? program.command(adapter.name).description(`the ${adapter.name} adapter`)
      : program;
    for (const spec of adapter.commands) {
      let parent = spec.root ? program : group;
      for (const word of spec.path.slice(0, -1))
        parent = parent.commands.find((c) => c.name() === word) ?? parent.command(word);
      const command = parent.command(spec.path.at(-1) as string).description(spec.description);
      for (const arg of spec.args ?? []) command.argument(`<${arg.name}>`, arg.description);
      for (const option of spec.options ?? []) command.option(`--${option.name} <value>`, option.description);
      command.option('--json', 'print one JSON document');
      command.action(async (...received: unknown[]) => {
        const args = received.slice(0, spec.args?.length ?? 0) as string[];
        const options = received[spec.args?.length ?? 0] as Record<string, string | undefined> & { json?: boolean };
        await withCore(global(), async ({ core, config }) => {
          const configured =
            adaptersOf(config)[index]?.commands.find((c) => c.path.join(' ') === spec.path.join(' ')) ?? spec;
          const result = await configured.run(core, args, options);
          if (options.json) printJson(result);
          else console.log(spec.format(result));
        });
      });
    }
  }
};
