import { v7 } from 'uuid';

/**
 * The id of a new run or work item: a UUID (version 7), whose first bits are the time it was made.
 * Their tables index these ids; random (version 4) ids put each new row on another page of the
 * index, and every trigger's commit wrote three such pages (the commit was 48 µs of a Robocorp
 * trigger on SQLite). Time-ordered ids land on the index's last page, shared by the batch.
 */
export const newId = (): string => v7();
