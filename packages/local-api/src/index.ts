export { createLocalApiRouter, type LocalApiOptions } from './create-local-api-router.js';
export { localApiDescriptor } from './descriptor.js';
export { mapJobState, type EmilyStatus } from './map-job-state.js';
export { createSkills, type Skill, type Skills } from './skills.js';
export { localApiContract, localApiOpenApi } from './contract.js';
export { localApi } from './adapter.js';
