/** Parameters of the API itself, never input variables of the job. */
export const reservedQuery = new Set(['uuid', 'token', 'msUnixTime']);
