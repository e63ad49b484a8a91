import type { Migration } from '@botgate/core';
import * as initial from './0001-api-task.js';
import * as slots from './0002-slots.js';
import * as access from './0003-access.js';
import * as singleLogin from './0004-single-login.js';
import * as deployments from './0005-deployments.js';
import * as callbacks from './0006-callbacks.js';
import * as coreSlots from './0007-core-slots.js';
import * as callbackDue from './0008-callback-due.js';

export const apiTaskMigrations: Record<string, Migration> = {
  '0001-api-task': initial,
  '0002-slots': slots,
  '0003-access': access,
  '0004-single-login': singleLogin,
  '0005-deployments': deployments,
  '0006-callbacks': callbacks,
  '0007-core-slots': coreSlots,
  '0008-callback-due': callbackDue,
};
