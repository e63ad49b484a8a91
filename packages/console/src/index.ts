export { createConsoleRouter, type ConsoleOptions } from './create-console-router.js';
export { csrfHeader, sessionCookie } from './session.js';
export { consoleContract, consoleOpenApi } from './contract.js';
