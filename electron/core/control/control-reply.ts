// One control call from outside the core (IPC or the /panel socket), answered as a ControlReply:
// unknown method and bad input are refused here with SCHEMA_VIOLATION before the service sees the
// call (input.ts validates once; the service then checks the role); typed core errors keep their
// code; anything else is INTERNAL, logged, and never leaks a stack to the panel. Every reply
// carries the orchestrator's clock (`serverNow`), so the panel can tell how far its own clock is off.
import type { Logger } from 'pino';
import type { ControlMethod, ControlReply } from '../../../shared/ipc/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import { parseControlInput } from './input.js';
import type { Actor, ControlService } from './types.js';

export async function answerCall(
  control: ControlService,
  actor: Actor,
  method: string,
  input: unknown,
  log: Logger,
  now: () => number = Date.now,
): Promise<ControlReply<ControlMethod>> {
  const refuse = (code: string, message: string): ControlReply<ControlMethod> => ({
    ok: false,
    error: { code, message },
    serverNow: now(),
  });
  const m = method as ControlMethod; // checked by parseControlInput
  let parsed: unknown;
  try {
    parsed = parseControlInput(m, input);
  } catch (err) {
    if (err instanceof VibeSyncError) return refuse(err.code, err.reason);
    throw err;
  }
  try {
    const value = await control.call(actor, m, parsed);
    return { ok: true, value, serverNow: now() };
  } catch (err) {
    if (err instanceof VibeSyncError) return refuse(err.code, err.reason);
    log.error({ err, method: m }, 'control call failed');
    return refuse('INTERNAL', 'internal error (see the orchestrator log)');
  }
}
