import type { Migration } from '@botgate/core';
import * as initial from './0001-api-task.js';

export const apiTaskMigrations: Record<string, Migration> = { '0001-api-task': initial };
