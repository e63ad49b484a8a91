import { consolePaths, createConsoleRouter } from '@botgate/console';
import type { Command } from 'commander';
import { adaptersOf, sharedSettingsOf, startAdapters } from '../adapter-runtimes.js';
import { apiDocsPaths, createApiDocsRouter } from '../api-docs.js';
import { openCore } from '../core-options.js';
import { createServer } from '../create-server.js';
import { ConfigError, loadConfig, settingsHelp } from '../load-config.js';
import { createMetrics } from '../metrics.js';
import { createLogger, flushLog } from '../logger.js';
import type { GlobalOptions } from './context.js';

/** Why the server could not listen, in one line that says what to change. */
const listenError = (error: unknown, host: string, port: number): unknown => {
  const code = (error as { code?: unknown }).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE')
    return new ConfigError(`${where} is in use by another process; choose another port (port, or BOTGATE_PORT)`);
  if (code === 'EACCES')
    return new ConfigError(
      `${where}: not allowed to listen there (ports below 1024 need privileges); choose another port`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new ConfigError(`${host} is not an address of this machine; choose another host (host, or BOTGATE_HOST)`);
  return error;
};

export const registerServeCommand = (program: Command, global: () => GlobalOptions): void => {
  program
    .command('serve')
    .description('start the server: every adapter on one port, and the workers')
    .option('--json', 'log as JSON lines (always the case; accepted for symmetry)')
    .addHelpText('after', () => `\n${settingsHelp()}`)
    .action(async () => {
      const config = loadConfig({ path: global().config, env: process.env, cwd: process.cwd() });
      // Its reader gone (EPIPE), the log goes nowhere: the server stops as on SIGTERM, says why on
      // stderr, and exits 1, so a supervisor starts it again with a log to write to.
      let logFailed: NodeJS.ErrnoException | undefined;
      let stopOnLogFailure = (): void => undefined;
      const onLogFailed = (error: NodeJS.ErrnoException) => {
        if (logFailed) return;
        logFailed = error;
        console.error(`botgate: the log on stdout cannot be written (${error.code ?? error.message}); stopping`);
        stopOnLogFailure();
      };
      const logger = createLogger(config.logLevel, 'stdout', onLogFailed);
      // A module's own output outside its job goes to stdout as well: the same failure, not the
      // CLI's quiet end of a `| head`.
      process.stdout.removeAllListeners('error');
      process.stdout.on('error', onLogFailed);
      const core = await openCore(config, process.env, logger);
      const metrics = createMetrics(core);
      const adapters = startAdapters(core, config, logger, metrics);
      const consoleRouter = createConsoleRouter(core, {
        panels: adapters.flatMap((adapter) => (adapter.console ? [adapter.console] : [])),
        origins: [...adaptersOf(config).map((adapter) => adapter.name), 'cli'],
        uploads: sharedSettingsOf(config),
        deliveries: adapters.flatMap((adapter) =>
          adapter.deliveries ? [{ adapter: adapter.name, ...adapter.deliveries }] : [],
        ),
        logger,
      });
      metrics.countStreams(consoleRouter.openStreams);
      const routers = [
        ...adapters,
        { paths: consolePaths, router: consoleRouter },
        {
          paths: apiDocsPaths,
          router: createApiDocsRouter([...adaptersOf(config), { name: 'console', openApi: consoleRouter.openApi }]),
        },
      ];
      const server = createServer({
        core,
        logger,
        metrics,
        routers,
        timeouts: {
          headersTimeout: config.headersTimeout,
          requestTimeout: config.requestTimeout,
          keepAliveTimeout: config.keepAliveTimeout,
        },
      });
      let port: number;
      try {
        // Before listening, worker or not: what a crashed predecessor left running dies now, not
        // when its lease runs out (an API-only node runs real-time jobs too).
        await core.recover();
        port = await server.listen(config.port, config.host);
      } catch (error) {
        await core.close({ graceMs: 0 });
        throw listenError(error, config.host, config.port);
      }
      if (config.worker) await core.worker.start();
      const services = adapters.flatMap((adapter) => (adapter.services ? [adapter.services] : []));
      for (const service of services) service.start();
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info(
          { signal, graceMs: config.shutdownGrace },
          'shutting down: no new triggers, running jobs get the grace period',
        );
        // Events of runs that end during the grace period are sent by the next start, which looks for them.
        await Promise.all(services.map((service) => service.stop()));
        consoleRouter.close();
        await Promise.all([server.drain(), core.close({ graceMs: config.shutdownGrace })]);
        logger.info('stopped');
        await flushLog(logger);
        process.exit(logFailed ? 1 : 0);
      };
      // Before the line supervisors wait for: one that sends SIGTERM the moment it reads it must
      // find the server ready to stop, not killed by the signal's default action.
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
      stopOnLogFailure = () => void stop(logFailed?.code ?? 'log failed');
      if (logFailed) stopOnLogFailure();

      logger.info(
        {
          port,
          host: config.host,
          catalog: config.catalog,
          dataDir: config.dataDir,
          automations: core.catalog.list().map((a) => a.id),
          node: core.nodeId,
        },
        `botgate listening on http://${config.host}:${port}`,
      );
      // Supervisors and scripts wait for this line.
      logger.flush();
    });
};
