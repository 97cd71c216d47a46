export * from './errors.js';
export * from './frame-limits.js';
export * from './messages.js';
export * from './mutation.js';
export * from './scene.js';
export * from './strict-json.js';
export * from './binary-frame.js';
export * from './kinds.js';
