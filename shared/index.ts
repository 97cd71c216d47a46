export * from './canonical/index.js';
export * from './ipc/index.js';
export * from './protocol/index.js';
