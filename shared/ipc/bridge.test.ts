import { describe, expect, it } from 'vitest';
import { controlChannel } from './bridge.js';
import { CONTROL_METHODS } from './methods.js';
import { ControlInputs, REQUIRED_ROLE } from './contract.js';

describe('preload bridge channels', () => {
  it('lists every control method exactly once, so the bridge cannot miss or invent a capability', () => {
    expect([...CONTROL_METHODS].sort()).toEqual(Object.keys(ControlInputs).sort());
    expect(Object.keys(REQUIRED_ROLE).sort()).toEqual(Object.keys(ControlInputs).sort());
    expect(new Set(CONTROL_METHODS.map(controlChannel)).size).toBe(CONTROL_METHODS.length);
  });
});
