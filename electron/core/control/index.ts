// The control side's face, for the shells (Electron IPC, the panel gateway): the service the
// orchestrator creates, the types of the contract's core side, and answerCall, which turns one
// call from outside the core into a ControlReply.
export type { Actor, ControlService } from './types.js';
export type { ControlContext } from './context.js';
export { createControlService, FLUSH_MS, type ControlServiceHandle } from './control-service.js';
export { answerCall } from './control-reply.js';
