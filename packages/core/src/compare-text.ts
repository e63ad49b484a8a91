/**
 * Orders text by UTF-16 code units, as `<` does (not by locale): the one order in which every
 * node takes row locks (keys, ids), so that two nodes never wait for each other in turn.
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
