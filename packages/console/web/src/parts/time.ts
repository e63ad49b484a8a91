export const timeOf = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toLocaleTimeString());
export const durationOf = (from: number | null, to: number | null): string =>
  from === null || to === null ? '—' : `${((to - from) / 1000).toFixed(2)} s`;
