import type { PanelCard, PanelPage } from '@botgate/http';

/** The console's JSON API: same origin, the session cookie, and the CSRF token on every write. */
let csrfToken = '';

export const setCsrfToken = (token: string): void => {
  csrfToken = token;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const api = async <T = unknown>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> => {
  const response = await fetch(`/console/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) throw new ApiError(response.status, data.message ?? response.statusText);
  return data as T;
};

/** POSTs a form with files (multipart/form-data), with the CSRF token. */
export const apiForm = async <T = unknown>(path: string, form: FormData): Promise<T> => {
  const response = await fetch(`/console/api${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'x-csrf-token': csrfToken },
    body: form,
  });
  const data = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) throw new ApiError(response.status, data.message ?? response.statusText);
  return data as T;
};

export type Role = 'admin' | 'developer';
export interface User {
  id: number;
  username: string;
  role: Role;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'canceled';
export const jobStates: JobState[] = ['queued', 'running', 'succeeded', 'failed', 'timed_out', 'canceled'];

export interface JobSummary {
  id: number;
  automationId: string;
  adapter: string;
  state: JobState;
  error: string | null;
  attempt: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface JobFile {
  name: string;
  size: number;
}

export interface JobAttempt {
  number: number;
  node: string | null;
  startedAt: number | null;
  endedAt: number | null;
  state: 'running' | 'succeeded' | 'failed' | 'timed_out' | 'canceled' | 'interrupted';
  errorCode: string | null;
  error: string | null;
  exitCode: number | null;
  log: string;
}

export interface JobDetail extends JobSummary {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  workItem: unknown;
  inputFiles: JobFile[];
  outputFiles: JobFile[];
  exitCode: number | null;
  errorCode: string | null;
  maxAttempts: number;
  metadata: Record<string, unknown>;
  attempts: JobAttempt[];
}

/** An adapter's card of an automation; `section` names the adapter's part. */
export type AutomationCard = PanelCard & { section: string };

export interface AutomationView {
  id: string;
  name: string;
  description: string;
  kind: 'module' | 'command';
  inputs: Record<string, { type: string; required?: boolean; default?: unknown }>;
  outputs: Record<string, string>;
  concurrency: number;
  timeoutMs: number;
  fileId: number;
  repositoryPath: string;
  cards: AutomationCard[];
}

export type ConsolePage = PanelPage & { section: string };

/** Fills `{field}` in a page's or card's template from a row or an answer. */
export const fill = (template: string, values: Record<string, unknown>, encode = false): string =>
  template.replace(/\{(\w+)\}/g, (_, field: string) => {
    const value = String(values[field] ?? '');
    return encode ? encodeURIComponent(value) : value;
  });

export const isFinal = (state: JobState): boolean => state !== 'queued' && state !== 'running';
