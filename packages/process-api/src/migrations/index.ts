import type { Migration } from '@botgate/core';
import * as initial from './0001-process-api.js';
import * as workItems from './0002-work-items.js';
import * as runNumbers from './0003-run-numbers.js';
import * as deliveryMarks from './0004-delivery-marks.js';

export const processApiMigrations: Record<string, Migration> = {
  '0001-process-api': initial,
  '0002-work-items': workItems,
  '0003-run-numbers': runNumbers,
  '0004-delivery-marks': deliveryMarks,
};
