// A ControlApi for component tests: records every call, validates input with the real contract
// (so a call the core would refuse with SCHEMA_VIOLATION is refused here too) and answers like the
// core would for the happy path (approve/reject report every pid as decided), or with a given error.
// `hold()` makes calls wait until `release()`, so a test can watch an action in progress.
import {
  ControlInputs,
  pageAudit,
  type AuditQuery,
  type ControlApi,
  type ControlMethod,
  type PanelUpdate,
  type PanelState,
} from '../../../shared/ipc/index.js';
import { ControlError } from '../api/control-error.js';

export interface FakeApi extends ControlApi {
  calls: { method: ControlMethod; input: unknown }[];
  /** Every call from now on (or from the `afterCalls`-th more call on) fails with this error. */
  failWith(code: string, message: string, afterCalls?: number): void;
  succeed(): void;
  hold(): void;
  /** Lets `n` held calls through (all of them, and stops holding, when n is omitted). */
  release(n?: number): void;
  push(updates: PanelUpdate[]): void;
}

export function fakeApi(state: PanelState): FakeApi {
  const listeners = new Set<(u: PanelUpdate[]) => void>();
  let failure: { error: ControlError; from: number } | null = null;
  let holding = false;
  const held: (() => void)[] = [];
  const calls: FakeApi['calls'] = [];
  const answer = (method: ControlMethod, input: unknown): unknown => {
    calls.push({ method, input });
    if (failure && calls.length > failure.from) throw failure.error;
    const parsed = ControlInputs[method].safeParse(input);
    if (!parsed.success) throw new ControlError('SCHEMA_VIOLATION', `${method}: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
    const i = parsed.data as Record<string, unknown>;
    switch (method) {
      case 'getState':
        return state;
      case 'approve':
        return { approved: i.pids, missing: [] };
      case 'reject':
        return { rejected: i.pids, missing: [] };
      case 'resetToken':
        return { engine: i.engine, token: 'vs_adapter_NEWTOKEN' };
      case 'emergencyUnlock':
        return { unlocked: ['blender'] };
      case 'setTrustThreshold':
        return { value: i.value };
      case 'queryAudit':
        return pageAudit(state.audit, i as AuditQuery);
      default:
        return { engine: i.engine ?? 'blender', objectId: i.objectId };
    }
  };
  const api = {
    calls,
    failWith(code: string, message: string, afterCalls = 0) {
      failure = { error: new ControlError(code, message), from: calls.length + afterCalls };
    },
    succeed() {
      failure = null;
    },
    hold() {
      holding = true;
    },
    release(n?: number) {
      if (n === undefined) holding = false;
      for (const go of held.splice(0, n ?? held.length)) go();
    },
    push(updates: PanelUpdate[]) {
      for (const l of listeners) l(updates);
    },
    onUpdate(l: (u: PanelUpdate[]) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as Record<string, unknown>;
  for (const m of Object.keys(ControlInputs) as ControlMethod[]) {
    api[m] = async (input: unknown) => {
      if (holding) await new Promise<void>((go) => held.push(go));
      return answer(m, input);
    };
  }
  return api as unknown as FakeApi;
}
