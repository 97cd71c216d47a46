export * from './hashing.js';
export * from './quantise.js';
export * from './ranges.js';
export * from './mesh.js';
export * from './kinds.js';
export * from './image.js';
