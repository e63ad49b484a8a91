export { createConsoleRouter, type ConsoleOptions } from './create-console-router.js';
export { csrfHeader, sessionCookie } from './session.js';
export { consoleContract, consoleOpenApi, consolePaths } from './contract.js';
export type { DeliverySource } from './routes/deliveries.js';
