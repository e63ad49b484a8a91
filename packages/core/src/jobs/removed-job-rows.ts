/** What an adapter removed of some jobs: rows per table, and folders to remove after the commit. */
export interface RemovedJobRows {
  rows: Record<string, number>;
  /** Relative to the data folder. */
  folders?: string[];
}
