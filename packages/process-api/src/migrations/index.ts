import type { Migration } from '@botgate/core';
import * as initial from './0001-process-api.js';

export const processApiMigrations: Record<string, Migration> = { '0001-process-api': initial };
