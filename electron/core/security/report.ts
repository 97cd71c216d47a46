// How a check reports a finding: the node's span, the rule, a message and a severity. In a file of
// its own so tree-walk.ts and the checks it calls (writes.ts) share it without importing each other.
import type { ScanFinding } from '../../../shared/ipc/view.js';

export type Report = (node: { from: number; to: number }, rule: string, message: string, severity?: ScanFinding['severity']) => void;
