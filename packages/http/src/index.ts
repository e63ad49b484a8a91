export { HttpError } from './http-error.js';
export { createErrorHandler, fromParserError, type ErrorHandlerOptions } from './create-error-handler.js';
export { acceptBodies, handle, methodNotAllowed } from './guards.js';
export { baseStatuses, type HttpErrorCode } from './statuses.js';
export { describeRequest, operation, requestFacts, type RequestFacts } from './request-facts.js';
