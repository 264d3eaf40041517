export * from './backoff.js';
export * from './host.js';
export * from './options.js';
export * from './parse.js';
export * from './plan.js';
export * from './probes.js';
export * from './report.js';
export * from './run.js';
