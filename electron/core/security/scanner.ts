// The AI-script wall at proposal time: `scanPython(code)` decides whether an AI-proposed script may
// be run at all. It is the script policy (electron/core/scripts/policy.ts) and nothing else, so it
// refuses exactly what the sandbox refuses: an allow-list of builtins, modules and attributes over
// the scene data API. A blocked result is a Security Breach in failure-modes.md (PANIC, quarantine).
import { checkPolicy, type ScanResult } from '../scripts/policy.js';

export type { ScanResult } from '../scripts/policy.js';

/**
 * Scans one AI-proposed Python script: `{ blocked, findings }`, findings sorted by position, every
 * one a block. Never throws for any string; a non-string is a typed SCHEMA_VIOLATION.
 */
export function scanPython(code: string): ScanResult {
  return checkPolicy(code);
}
