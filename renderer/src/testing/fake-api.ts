// A ControlApi for component tests: records every call and answers like the core would for the
// happy path (approve/reject report every pid as decided), or with a given error.
import { ControlInputs, type ControlApi, type ControlMethod, type PanelUpdate, type PanelState } from '../../../shared/ipc/index.js';
import { ControlError } from '../api/control-error.js';

export interface FakeApi extends ControlApi {
  calls: { method: ControlMethod; input: unknown }[];
  failWith(code: string, message: string): void;
  push(updates: PanelUpdate[]): void;
}

export function fakeApi(state: PanelState): FakeApi {
  const listeners = new Set<(u: PanelUpdate[]) => void>();
  let failure: ControlError | null = null;
  const calls: FakeApi['calls'] = [];
  const answer = (method: ControlMethod, input: unknown): unknown => {
    calls.push({ method, input });
    if (failure) throw failure;
    const parsed = ControlInputs[method].safeParse(input);
    if (!parsed.success) throw new ControlError('SCHEMA_VIOLATION', parsed.error.issues[0]?.message ?? 'bad input');
    const i = parsed.data as Record<string, unknown>;
    switch (method) {
      case 'getState': return state;
      case 'approve': return { approved: i.pids, missing: [] };
      case 'reject': return { rejected: i.pids, missing: [] };
      case 'resetToken': return { engine: i.engine, token: 'vs_adapter_NEWTOKEN' };
      case 'emergencyUnlock': return { unlocked: ['blender'] };
      case 'setTrustThreshold': return { value: i.value };
      case 'queryAudit': return { entries: state.audit };
      default: return { engine: i.engine, objectId: i.objectId };
    }
  };
  const api = {
    calls,
    failWith(code: string, message: string) { failure = new ControlError(code, message); },
    push(updates: PanelUpdate[]) { for (const l of listeners) l(updates); },
    onUpdate(l: (u: PanelUpdate[]) => void) { listeners.add(l); return () => listeners.delete(l); },
  } as Record<string, unknown>;
  for (const m of Object.keys(ControlInputs) as ControlMethod[]) api[m] = async (input: unknown) => answer(m, input);
  return api as unknown as FakeApi;
}
