import type { Migration } from '@botgate/core';
import * as initial from './0001-uipath.js';
import * as webhooks from './0002-webhooks.js';
import * as deliveryMarks from './0003-delivery-marks.js';

export const uipathMigrations: Record<string, Migration> = {
  '0001-uipath': initial,
  '0002-webhooks': webhooks,
  '0003-delivery-marks': deliveryMarks,
};
