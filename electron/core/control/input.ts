// Control input is validated once, here, against the contract's zod schemas: at the boundary
// (answerCall, for IPC and the panel socket) or, for a caller inside the process, by the control
// service. A validated input is remembered, so the service does not parse it a second time.
import { ControlInputs, type ControlInput, type ControlMethod } from '../../../shared/ipc/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';

const validated = new WeakSet<object>();

/** The parsed input of `method`, or VibeSyncError SCHEMA_VIOLATION (unknown method, or the first issue with the input). */
export function parseControlInput<M extends ControlMethod>(method: M, input: unknown): ControlInput<M> {
  if (!Object.hasOwn(ControlInputs, method)) throw new VibeSyncError('SCHEMA_VIOLATION', `unknown method "${String(method).slice(0, 64)}"`);
  if (typeof input === 'object' && input !== null && validated.has(input)) return input as ControlInput<M>;
  const parsed = ControlInputs[method].safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VibeSyncError(
      'SCHEMA_VIOLATION',
      `${method}: ${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input'}`,
    );
  }
  validated.add(parsed.data);
  return parsed.data as ControlInput<M>;
}
