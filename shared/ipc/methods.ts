// The control contract's methods, listed once. The contract's maps (ControlInputs, ControlResults,
// REQUIRED_ROLE) are typed against this list, so TypeScript refuses one that misses or invents a
// method; the IPC channels, the preload bridge and the WebSocket client are built from it.
// Zod-free, so the sandboxed preload bundle stays tiny.
export const CONTROL_METHODS = [
  'getState',
  'approve',
  'reject',
  'emergencyUnlock',
  'resetToken',
  'resetBreaker',
  'forceResync',
  'requestResnapshot',
  'setTrustThreshold',
  'queryAudit',
] as const;

export type ControlMethod = (typeof CONTROL_METHODS)[number];
