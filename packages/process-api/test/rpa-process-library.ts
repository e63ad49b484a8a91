import { randomBytes } from 'node:crypto';

/**
 * The requests rpaframework's `RPA.Robocorp.Process` sends (packages/main/src/RPA/Robocorp/Process.py),
 * byte for byte where it matters: Python `requests` with its own headers; `json=` bodies as
 * `json.dumps` writes them (`", "` and `": "` separators) with Content-Type application/json;
 * `data=json.dumps(…)` bodies with no Content-Type at all; the file upload as a multipart POST of
 * the answered fields and the file, without the workspace key. Each keyword raises (here: throws)
 * where the library calls `raise_for_status()`, and returns what the library returns.
 */

/** Python's `json.dumps` with its default separators. */
export const pyDumps = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(pyDumps).join(', ')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.entries(value)
          .map(([key, item]) => `${JSON.stringify(key)}: ${pyDumps(item)}`)
          .join(', ')}}`
      : JSON.stringify(value);

const requestsHeaders = {
  'User-Agent': 'python-requests/2.32.3',
  'Accept-Encoding': 'gzip, deflate',
  Accept: '*/*',
  Connection: 'keep-alive',
};

export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body}`);
  }
}

const raiseForStatus = async (response: Response): Promise<Response> => {
  if (response.status >= 400) throw new HttpStatusError(response.status, await response.text());
  return response;
};

/** `requests.post(url, data=fields, files={"file": (name, bytes)})`, as urllib3 encodes it: fields first, the file part without a Content-Type. */
export const requestsMultipart = (fields: Record<string, string>, file: { name: string; content: Buffer }) => {
  const boundary = randomBytes(16).toString('hex');
  const parts = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  const body = Buffer.concat([
    ...parts,
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n\r\n`),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
};

export const processLibrary = (apiServer: string, workspaceId: string, processId: string, apikey: string) => {
  const headers = { ...requestsHeaders, Authorization: `RC-WSKEY ${apikey}` };
  const processApi = (pid?: string) => `${apiServer}/workspaces/${workspaceId}/processes/${pid ?? processId}`;
  const workspaceApi = () => `${apiServer}/workspaces/${workspaceId}`;
  const postJson = (url: string, json: unknown) =>
    fetch(url, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: pyDumps(json) });
  // data=json.dumps(…): bytes, so no Content-Type is set.
  const postData = (url: string, text?: string) =>
    fetch(url, { method: 'POST', headers, ...(text === undefined ? {} : { body: Buffer.from(text) }) });
  const get = (url: string, params?: Record<string, string | number>) =>
    fetch(
      params
        ? `${url}?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`
        : url,
      { headers },
    );
  const filterState = <T extends { state: string }>(data: T[], state?: string) =>
    state ? data.filter((d) => d.state.toUpperCase() === state.toUpperCase()) : data;

  const library = {
    /** `start_process(work_items=None, batch=False)`: `json=work_items or []`, to runs or runs-batch; `response.json()` without raise_for_status. */
    async startProcess(workItems?: unknown, batch = false, pid?: string) {
      const response = await postJson(`${processApi(pid)}/${batch ? 'runs-batch' : 'runs'}`, workItems ?? []);
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    },
    /** `start_configured_process(config_type, extra_info)`: `data=json.dumps({...})`; returns `response.text`. */
    async startConfiguredProcess(
      configType: 'default' | 'work_items' = 'default',
      extraInfo?: string | string[],
      pid?: string,
    ) {
      const requestData: Record<string, unknown> = { type: configType === 'default' ? 'default' : 'workItemIds' };
      if (configType === 'work_items')
        requestData.workItemIds = typeof extraInfo === 'string' ? [extraInfo] : (extraInfo ?? []);
      const response = await postData(`${processApi(pid)}/run-request`, pyDumps(requestData));
      return { status: response.status, text: await response.text() };
    },
    /** `create_input_work_item(payload, files)`: the item, then per file `register_file_upload` and `upload_file_to_s3`. */
    async createInputWorkItem(
      payload?: unknown,
      files: Array<{ name: string; content: Buffer }> = [],
      pid?: string,
    ): Promise<string> {
      const response = await raiseForStatus(
        await postJson(`${processApi(pid)}/work-items`, { payload: payload ?? {} }),
      );
      const workitemId = ((await response.json()) as { id: string }).id;
      for (const file of files) {
        const registered = await library.registerFileUpload(file.name, file.content.length, workitemId, pid);
        await library.uploadFileToS3(file, registered);
      }
      return workitemId;
    },
    async registerFileUpload(
      fileName: string,
      fileSize: number,
      workitemId: string,
      pid?: string,
    ): Promise<{ url: string; fields: Record<string, string> }> {
      const response = await raiseForStatus(
        await postData(`${processApi(pid)}/work-items/${workitemId}/files/upload`, pyDumps({ fileName, fileSize })),
      );
      return (await response.json()) as { url: string; fields: Record<string, string> };
    },
    /** `session_less_post(url, data=fields, files=files)`: no workspace key. */
    async uploadFileToS3(
      file: { name: string; content: Buffer },
      data: { url: string; fields: Record<string, string> },
    ) {
      const { body, contentType } = requestsMultipart(data.fields, file);
      const response = await raiseForStatus(
        await fetch(data.url, { method: 'POST', headers: { ...requestsHeaders, 'Content-Type': contentType }, body }),
      );
      return { status: response.status, text: await response.text() };
    },
    async listProcesses(): Promise<Array<{ id: string; name: string }>> {
      const response = await raiseForStatus(await get(`${workspaceApi()}/processes`));
      return ((await response.json()) as { data: Array<{ id: string; name: string }> }).data;
    },
    async getProcessIdByName(name: string): Promise<string | undefined> {
      return (await library.listProcesses()).find((p) => p.name === name)?.id;
    },
    async listProcessWorkItems(includeData = false, itemState?: string, pid?: string) {
      const response = await raiseForStatus(
        await get(`${processApi(pid)}/work-items`, { includeData: String(includeData) }),
      );
      return filterState(
        ((await response.json()) as { data: Array<Record<string, unknown> & { state: string }> }).data,
        itemState,
      );
    },
    async listProcessRunWorkItems(processRunId: string, includeData = false, itemState?: string, pid?: string) {
      const response = await raiseForStatus(
        await get(`${processApi(pid)}/runs/${processRunId}/work-items`, {
          includeData: String(includeData),
          sortBy: 'createTs',
          sortOrder: 'desc',
        }),
      );
      return filterState(
        ((await response.json()) as { data: Array<Record<string, unknown> & { state: string }> }).data,
        itemState,
      );
    },
    async getWorkItem(workitemId: string, includeData = false, pid?: string) {
      const response = await raiseForStatus(
        await get(`${processApi(pid)}/work-items/${workitemId}`, { includeData: String(includeData) }),
      );
      return (await response.json()) as Record<string, unknown>;
    },
    async listProcessRuns(runState?: string, limit = 10, pid?: string) {
      const response = await raiseForStatus(await get(`${processApi(pid)}/runs`, { limit }));
      return filterState(
        ((await response.json()) as { data: Array<Record<string, unknown> & { state: string }> }).data,
        runState,
      );
    },
    async listProcessRunsInWorkspace(runState?: string, limit = 10) {
      const response = await raiseForStatus(await get(`${workspaceApi()}/pruns`, { limit }));
      // The library iterates the answer itself: a bare array.
      return filterState((await response.json()) as Array<Record<string, unknown> & { state: string }>, runState);
    },
    async getProcessRunStatus(processRunId: string, stepRunId?: string, pid?: string) {
      const url = `${processApi(pid)}/runs/${processRunId}${stepRunId ? `/robotRuns/${stepRunId}` : ''}`;
      return (await (await raiseForStatus(await get(url))).json()) as Record<string, unknown>;
    },
    /** `retry_work_item`: a POST with no body; `response.json()` without raise_for_status. */
    async retryWorkItem(workItemId: string, pid?: string) {
      const response = await postData(`${processApi(pid)}/work-items/${workItemId}/retry`);
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    },
    async listRunArtifacts(processRunId: string, stepRunId: string, pid?: string) {
      const response = await raiseForStatus(
        await get(`${processApi(pid)}/runs/${processRunId}/robotRuns/${stepRunId}/artifacts`),
      );
      return (await response.json()) as Array<{ id: string; fileName: string; fileSize: number }>;
    },
    /** `get_robot_run_artifact`: the URL to download from, which `HTTP().download` then fetches without the key. */
    async getRobotRunArtifact(
      processRunId: string,
      stepRunId: string,
      artifactId: string,
      filename: string,
      pid?: string,
    ) {
      const response = await raiseForStatus(
        await get(`${processApi(pid)}/runs/${processRunId}/robotRuns/${stepRunId}/artifacts/${artifactId}/${filename}`),
      );
      return (await response.json()) as string;
    },
  };
  return library;
};
