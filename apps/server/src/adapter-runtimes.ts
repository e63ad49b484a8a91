import type { AdapterDescriptor, Core, Logger } from '@botgate/core';
import type { AdapterRuntime, SharedSettings } from '@botgate/http';
import { adapterModules } from './adapters.js';
import type { Config } from './load-config.js';
import type { Metrics } from './metrics.js';

export const sharedSettingsOf = (config: Config): SharedSettings => ({
  host: config.host,
  port: config.port,
  dataDir: config.dataDir,
  uploadLimit: config.uploadLimit,
  uploadTotalLimit: config.uploadTotalLimit ?? 4 * config.uploadLimit,
  pollMs: config.poll,
  jwtSecret: config.jwtSecret,
});

/** What core needs of each adapter before it opens: migrations, commands, retention, OpenAPI. */
export const adaptersOf = (config: Config): AdapterDescriptor[] =>
  adapterModules.map((adapter) => adapter.describe(config.sections[adapter.section], sharedSettingsOf(config)));

/** Each adapter started over the core, with its section of the configuration. */
export const startAdapters = (
  core: Core,
  config: Config,
  logger: Logger,
  metrics: Pick<Metrics, 'deliveryAttempt'>,
): Array<AdapterRuntime & { name: string }> => {
  const runtimes: Array<AdapterRuntime & { name: string }> = [];
  const directory = () => runtimes.find((runtime) => runtime.directory)?.directory;
  for (const adapter of adapterModules)
    runtimes.push({
      name: adapter.name,
      ...adapter.start({
        core,
        settings: config.sections[adapter.section],
        shared: sharedSettingsOf(config),
        logger,
        onDeliveryAttempt: (outcome) => metrics.deliveryAttempt(adapter.name, outcome),
        directory,
      }),
    });
  return runtimes;
};
