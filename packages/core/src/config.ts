import type { AdapterDescriptor } from './adapter-descriptor.js';
import type { CoreSettings, CoreSettingsInput } from './core-settings.js';

/** Everything core needs, parsed and validated by the caller (the server's config loader). */
export interface CoreOptions extends CoreSettingsInput {
  /** Adapters whose migrations run with core's. @default [] */
  adapters?: readonly AdapterDescriptor[];
}

export type ResolvedCoreOptions = CoreSettings & { adapters: readonly AdapterDescriptor[] };
