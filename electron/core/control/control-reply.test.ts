import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { PanelState } from '../../../shared/ipc/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import type { ControlService } from './types.js';
import { answerCall } from './control-reply.js';

const log = pino({ level: 'silent' });
const actor = { name: 'ana', role: 'reviewer' as const };
function control(impl: ControlService['call']): ControlService & { calls: number } {
  const c = {
    calls: 0,
    call: (async (...a: Parameters<ControlService['call']>) => {
      c.calls++;
      return impl(...a);
    }) as ControlService['call'],
    state: () => ({}) as PanelState,
    subscribe: () => () => {},
  };
  return c;
}

describe('answerCall', () => {
  it('passes valid input to the core and wraps the value', async () => {
    const c = control(async () => ({ approved: ['p1'], missing: [] }) as never);
    expect(await answerCall(c, actor, 'approve', { pids: ['p1'] }, log, () => 42)).toEqual({
      ok: true,
      value: { approved: ['p1'], missing: [] },
      serverNow: 42,
    });
  });

  it('stamps refusals with the orchestrator’s clock too', async () => {
    const c = control(async () => {
      throw new VibeSyncError('FORBIDDEN_ROLE', 'approve needs the reviewer role');
    });
    expect(await answerCall(c, actor, 'approve', { pids: ['p1'] }, log, () => 7)).toMatchObject({ ok: false, serverNow: 7 });
    expect(await answerCall(c, actor, 'nope', {}, log, () => 8)).toMatchObject({ ok: false, serverNow: 8 });
  });

  it('refuses an unknown method or bad input before the core sees it', async () => {
    const c = control(async () => {
      throw new Error('must not be called');
    });
    expect(await answerCall(c, actor, 'toString', {}, log)).toMatchObject({
      ok: false,
      error: { code: 'SCHEMA_VIOLATION', message: 'unknown method "toString"' },
    });
    expect(await answerCall(c, actor, 'reject', { pids: ['p1'], reason: 'no' }, log)).toMatchObject({
      ok: false,
      error: { code: 'SCHEMA_VIOLATION', message: expect.stringMatching(/^reject: reason: /) },
    });
    expect(c.calls).toBe(0);
  });

  it('keeps the code of a typed core error and hides anything else', async () => {
    const typed = control(async () => {
      throw new VibeSyncError('FORBIDDEN_ROLE', 'approve needs the reviewer role');
    });
    expect(await answerCall(typed, actor, 'approve', { pids: ['p1'] }, log)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_ROLE', message: 'approve needs the reviewer role' },
    });
    const crash = control(async () => {
      throw new Error('secret stack detail');
    });
    const hidden = await answerCall(crash, actor, 'approve', { pids: ['p1'] }, log);
    expect(hidden).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'internal error (see the orchestrator log)' } });
    expect(JSON.stringify(hidden)).not.toContain('secret stack detail');
  });
});
