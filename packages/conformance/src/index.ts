export { startAdapter, type StartAdapterOptions, type StartedAdapter } from './start-adapter.js';
export { startAdapterProcess, type AdapterProcess } from './start-adapter-process.js';
export { useLeakGuard } from './leak-guard.js';
export { conformanceSuite, type ConformanceSpec, type ProbeRequest } from './conformance-suite.js';
