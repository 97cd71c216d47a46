// The core side of the control contract. Electron IPC and the headless panel gateway both call
// `call()` with the acting person (derived from the window's lead identity or the browser token,
// never from the request body); the implementation validates input once and enforces REQUIRED_ROLE.
import type { ControlInput, ControlMethod, ControlResults, PanelState, PanelUpdate, PersonRole } from '../../../shared/ipc/index.js';
import type { ControlContext } from './context.js';

export interface Actor {
  name: string;
  role: PersonRole;
}

export interface ControlService {
  /**
   * Validates `input` with ControlInputs[method] (VibeSyncError SCHEMA_VIOLATION; input that
   * answerCall already validated is not parsed again) and the role (FORBIDDEN_ROLE).
   */
  call<M extends ControlMethod>(actor: Actor, method: M, input: unknown): Promise<ControlResults[M]>;
  /** The current state as `actor` sees it (me = actor). */
  state(actor: Actor): PanelState;
  /** Batched updates, at most ~10 flushes per second; returns an unsubscribe function. */
  subscribe(listener: (updates: PanelUpdate[]) => void): () => void;
}

/** One control method as the core runs it: input already validated, role already checked. */
export type Operation<M extends ControlMethod> = (b: ControlContext, actor: Actor, input: ControlInput<M>) => Promise<ControlResults[M]>;
export type Operations<K extends ControlMethod> = { [M in K]: Operation<M> };
