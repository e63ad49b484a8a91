/** Automation Anywhere addresses bots by repository path; ours default to `Bots\<id>`. */
export const defaultRepositoryPath = (id: string): string => `Bots\\${id}`;
