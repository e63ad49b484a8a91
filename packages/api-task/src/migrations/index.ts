import type { Migration } from '@botgate/core';
import * as initial from './0001-api-task.js';
import * as slots from './0002-slots.js';

export const apiTaskMigrations: Record<string, Migration> = { '0001-api-task': initial, '0002-slots': slots };
