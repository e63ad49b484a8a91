import type { JobState } from '../api';

export const StateBadge = ({ state }: { state: JobState }) => <span className={`state state-${state}`}>{state}</span>;
