export * from './methods.js';
export * from './contract.js';
export * from './view.js';
export * from './bridge.js';
export * from './panel-wire.js';
export * from './setup-hints.js';
export * from './trust.js';
export * from './audit-query.js';
