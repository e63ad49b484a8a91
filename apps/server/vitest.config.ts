import { packageTestConfig } from '../../vitest.shared.js';

// The server's tests drive real servers and CLI processes and spend most of their time waiting
// for them (about 40 % of two cores busy with one file at a time), so two files run at once.
export default packageTestConfig({ filesAtOnce: 2 });
