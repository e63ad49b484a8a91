import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BotgateError } from '../errors.js';
import { fromPlainJson, type InputDeclarations } from '../variables/index.js';
import type { Automation } from './automation.js';
import { manifestSchema } from './manifest-schema.js';

export const manifestFileName = 'automation.yaml';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** An automation before the database has given it its `fileId`. */
export type LoadedAutomation = Omit<Automation, 'fileId' | 'repositoryPath'> & {
  fileId: number | undefined;
  repositoryPath: string | undefined;
};

/**
 * Reads every `<dir>/<id>/automation.yaml`. All problems are gathered into one error, each line
 * naming the file and the field, so a broken catalog is fixed in one pass.
 */
export const loadCatalog = async (catalogDir: string): Promise<LoadedAutomation[]> => {
  const root = resolve(catalogDir);
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (cause) {
    throw new BotgateError('INVALID_CONFIG', `catalog folder ${root} cannot be read: ${(cause as Error).message}`, {
      catalog: root,
    });
  }
  const problems: string[] = [];
  const automations: LoadedAutomation[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(root, entry.name);
    const manifestPath = join(dir, manifestFileName);
    if (!existsSync(manifestPath)) continue;
    const fromCwd = relative(process.cwd(), manifestPath);
    const shown = fromCwd.startsWith('..') ? manifestPath : fromCwd;
    if (!idPattern.test(entry.name)) {
      problems.push(`${shown}: the folder name "${entry.name}" is not a valid automation id (letters, digits, . _ -)`);
      continue;
    }
    const automation = await loadOne(entry.name, dir, manifestPath, shown, problems);
    if (automation) automations.push(automation);
  }
  if (problems.length > 0) {
    throw new BotgateError('INVALID_MANIFEST', `invalid automation manifest:\n  ${problems.join('\n  ')}`, {
      problems,
    });
  }
  return automations;
};

const loadOne = async (
  id: string,
  dir: string,
  manifestPath: string,
  shown: string,
  problems: string[],
): Promise<LoadedAutomation | undefined> => {
  let document: unknown;
  try {
    document = parseYaml(await readFile(manifestPath, 'utf8'));
  } catch (cause) {
    problems.push(`${shown}: not valid YAML: ${(cause as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const parsed = manifestSchema.safeParse(document ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(`${shown}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    return undefined;
  }
  const manifest = parsed.data;
  const inputs: InputDeclarations = {};
  for (const [name, declaration] of Object.entries(manifest.inputs)) {
    inputs[name] = { type: declaration.type, required: declaration.required };
    if (declaration.description !== undefined) inputs[name].description = declaration.description;
    if (declaration.default !== undefined) {
      try {
        inputs[name].default = fromPlainJson(name, declaration.default, declaration.type);
      } catch (cause) {
        problems.push(`${shown}: inputs.${name}.default: ${(cause as Error).message}`);
      }
    }
  }
  let run: Automation['run'];
  if ('module' in manifest.run) {
    const modulePath = resolveInside(dir, manifest.run.module);
    if (!existsSync(modulePath)) problems.push(`${shown}: run.module: ${manifest.run.module} does not exist in ${dir}`);
    run = { kind: 'module', module: modulePath, isolation: manifest.run.isolation };
  } else {
    run = { kind: 'command', command: manifest.run.command };
  }
  return {
    id,
    name: manifest.name ?? id,
    description: manifest.description,
    dir,
    manifestPath,
    run,
    inputs,
    outputs: manifest.outputs,
    concurrency: manifest.concurrency,
    timeoutMs: manifest.timeout,
    retries: manifest.retries,
    retryDelayMs: manifest.retryDelay,
    fileId: manifest.fileId,
    repositoryPath: manifest.repositoryPath,
  };
};

const resolveInside = (dir: string, path: string): string => (isAbsolute(path) ? path : resolve(dir, path));
