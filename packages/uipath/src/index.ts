export { uipath } from './adapter.js';
export { createUipathRouter, uipathPaths, type UipathOptions } from './create-uipath-router.js';
export { uipathDescriptor } from './descriptor.js';
export { uipathContract, uipathOpenApi } from './contract.js';
export { parseODataQuery, applyODataQuery, type ODataQuery } from './odata-query.js';
export { stateOf, type UipathJobState } from './job-view.js';
