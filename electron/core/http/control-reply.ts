// One control call from outside the core (IPC or the /panel socket), answered as a ControlReply:
// unknown method and bad input are refused here with SCHEMA_VIOLATION before the core (which
// validates again and checks the role); typed core errors keep their code; anything else is
// INTERNAL, logged, and never leaks a stack to the panel. Every reply carries the orchestrator's
// clock (`serverNow`), so the panel can tell how far its own clock is off.
import type { Logger } from 'pino';
import { ControlInputs, type ControlMethod, type ControlReply } from '../../../shared/ipc/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import type { Actor, ControlService } from '../control.js';

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
  if (!Object.hasOwn(ControlInputs, method)) return refuse('SCHEMA_VIOLATION', `unknown method "${method.slice(0, 64)}"`);
  const m = method as ControlMethod;
  const parsed = ControlInputs[m].safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse('SCHEMA_VIOLATION', `${m}: ${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input'}`);
  }
  try {
    const value = await control.call(actor, m, parsed.data);
    return { ok: true, value, serverNow: now() };
  } catch (err) {
    if (err instanceof VibeSyncError) return refuse(err.code, err.reason);
    log.error({ err, method: m }, 'control call failed');
    return refuse('INTERNAL', 'internal error (see the orchestrator log)');
  }
}
