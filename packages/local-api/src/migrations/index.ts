import type { Migration } from '@botgate/core';
import * as initial from './0001-local-api.js';

export const localApiMigrations: Record<string, Migration> = { '0001-local-api': initial };
