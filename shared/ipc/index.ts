export * from './contract.js';
export * from './view.js';
