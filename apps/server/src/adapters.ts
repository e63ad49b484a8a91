import { apiTask } from '@botgate/api-task';
import { localApi } from '@botgate/local-api';
import { processApi } from '@botgate/process-api';
import { uipath } from '@botgate/uipath';
import type { AnyAdapterModule } from '@botgate/http';

/**
 * Every adapter the server speaks, in the order their routers are mounted: the one place outside
 * an adapter's folder that names it (`test/adapter-boundary.test.ts` checks).
 */
export const adapterModules: readonly AnyAdapterModule[] = [localApi, processApi, apiTask, uipath];
