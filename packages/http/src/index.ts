export { HttpError } from './http-error.js';
export {
  createErrorHandler,
  createPlainErrorHandler,
  plainErrorHandler,
  fromParserError,
  type ErrorHandlerOptions,
} from './create-error-handler.js';
export { acceptBodies, handle, methodNotAllowed } from './guards.js';
export { baseStatuses, type HttpErrorCode } from './statuses.js';
export { describeRequest, operation, requestFacts, type RequestFacts } from './request-facts.js';
export {
  mountRoutes,
  type BodySpec,
  type HttpMethod,
  type ResponseSpec,
  type RouteDoc,
  type RouteSpec,
} from './route-table.js';
export { parseRouteInput, queryParam, type InputOf, type RouteInput } from './route-input.js';
export { openApiDocument, openApiPath, type OpenApiInfo } from './openapi-document.js';
export { sendJobFile } from './send-job-file.js';
export { parseInput } from './parse-input.js';
export { jsonBody, type JsonBodyOptions } from './json-body.js';
export {
  automationNamed,
  automationParams,
  consoleFailure,
  baseUrlOf,
  consoleOperatorOf,
  type ConsoleOperator,
  type ConsoleOperators,
  type ConsolePanel,
  type ConsoleRoute,
  type Exposure,
} from './console-panel.js';
export type { AnswerValue, CardAction, PageField, PanelCard, PanelPage, ShownValue } from './console-view.js';
export {
  defineAdapter,
  type AdapterContext,
  type AdapterModule,
  type AdapterRuntime,
  type AnyAdapterModule,
  type SharedSettings,
} from './define-adapter.js';
export type { DirectoryUser, UserDirectory } from './user-directory.js';
export { dispatchByPath, type PathRouter } from './path-dispatch.js';
export { settingTypes } from './setting-types.js';
export { idempotencyKeyHeader, idempotencyKeyOf } from './idempotency-key.js';
export { createExpressServer, expressServerClasses } from './express-http-server.js';
export { receiveUploads, uploadedFiles, type UploadOptions } from './receive-uploads.js';
