import type { Core } from '@botgate/core';
import { argumentsOf, type Release } from './releases.js';

/** The fields of a release that `$filter`, `$orderby` and `$select` may name. */
export const releaseFields = new Set([
  'Key',
  'ProcessKey',
  'ProcessVersion',
  'IsLatestVersion',
  'IsProcessDeleted',
  'Description',
  'Name',
  'EnvironmentId',
  'EnvironmentName',
  'InputArguments',
  'ProcessType',
  'SupportsMultipleEntryPoints',
  'RequiresUserInteraction',
  'AutoUpdate',
  'JobPriority',
  'SpecificPriorityValue',
  'OrganizationUnitId',
  'OrganizationUnitFullyQualifiedName',
  'TargetFramework',
  'Id',
  'Arguments',
]);

/** A release as Orchestrator's `ReleaseDto` shows it: `ProcessKey` is the automation's id. */
export const releaseView = (core: Core, release: Release): Record<string, unknown> => {
  const automation = core.catalog.get(release.automationId);
  return {
    Key: release.key,
    ProcessKey: automation.id,
    ProcessVersion: '1.0.0',
    IsLatestVersion: true,
    IsProcessDeleted: false,
    Description: automation.description,
    Name: automation.name,
    EnvironmentId: null,
    EnvironmentName: '',
    InputArguments: null,
    ProcessType: 'Process',
    SupportsMultipleEntryPoints: false,
    RequiresUserInteraction: false,
    AutoUpdate: false,
    JobPriority: 'Normal',
    SpecificPriorityValue: 45,
    OrganizationUnitId: release.folder.id,
    OrganizationUnitFullyQualifiedName: release.folder.displayName,
    TargetFramework: 'Portable',
    Id: release.id,
    Arguments: argumentsOf(automation),
  };
};
