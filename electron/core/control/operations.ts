// Every control-contract method as the core runs it, with its role enforced here in the core (not
// only in the UI): reads (queries.ts), review decisions (review.ts) and a person's overrides of the
// brain (overrides.ts). Input reaches this table already validated (input.ts).
import { REQUIRED_ROLE, roleAllows, type ControlInput, type ControlMethod, type ControlResults } from '../../../shared/ipc/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import type { ControlContext } from './context.js';
import { OVERRIDES } from './overrides.js';
import { QUERIES } from './queries.js';
import { REVIEW } from './review.js';
import type { Actor, Operation, Operations } from './types.js';

const OPERATIONS: Operations<ControlMethod> = { ...QUERIES, ...REVIEW, ...OVERRIDES };

export function requireRole(actor: Actor, method: ControlMethod) {
  if (!roleAllows(actor.role, REQUIRED_ROLE[method])) {
    throw new VibeSyncError('FORBIDDEN_ROLE', `${method} needs the ${REQUIRED_ROLE[method]} role; ${actor.name} is ${actor.role}`);
  }
}

/** Runs one control method for `actor`: role first, then the operation. Input must already be parsed. */
export function runControl<M extends ControlMethod>(
  b: ControlContext,
  actor: Actor,
  method: M,
  input: ControlInput<M>,
): Promise<ControlResults[M]> {
  requireRole(actor, method);
  return (OPERATIONS[method] as Operation<M>)(b, actor, input);
}
