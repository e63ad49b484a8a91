export { createServer, type BotgateServer, type ServerOptions } from './create-server.js';
export { loadConfig, ConfigError, type Config } from './load-config.js';
export { coreOptionsOf } from './core-options.js';
export { createProgram, main } from './cli/main.js';
