export * from './hashing.js';
export * from './quantise.js';
