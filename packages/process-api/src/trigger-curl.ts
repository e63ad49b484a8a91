/** The ready curl line Robocorp's "Process API access" dialog shows beside a new secret. */
export const triggerCurl = (baseUrl: string, workspaceId: string, processId: string, secret: string): string => {
  const url = `${baseUrl.replace(/\/$/, '')}/workspace-v1/workspaces/${workspaceId}/processes/${processId}/runs`;
  return `curl --request POST --header "robocloud-process-secret: ${secret}" --header "Content-Type: application/json" --data "{\\"workItemKey\\":\\"workItemValue\\"}" ${url}`;
};
