import type { Migration } from '@botgate/core';
import * as initial from './0001-local-api.js';
import * as msNumbers from './0002-ms-numbers.js';

export const localApiMigrations: Record<string, Migration> = {
  '0001-local-api': initial,
  '0002-ms-numbers': msNumbers,
};
