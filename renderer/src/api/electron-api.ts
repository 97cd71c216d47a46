// ControlApi over the Electron preload bridge: unwraps each ControlReply into a value or a
// ControlError. The reply's `serverNow` is not sampled: the orchestrator runs in the main process
// on this machine's clock, so the offset is 0 by definition (store/clock.ts).
import { CONTROL_METHODS, type ControlApi, type ControlBridge, type ControlMethod, type ControlReply } from '../../../shared/ipc/index.js';
import { ControlError } from './control-error.js';

declare global {
  interface Window {
    vibesync?: ControlBridge;
  }
}

export function electronApi(bridge: ControlBridge): ControlApi {
  const api: Record<string, unknown> = { onUpdate: bridge.onUpdate };
  for (const method of CONTROL_METHODS) {
    api[method] = async (input: unknown) => {
      const call = bridge[method] as (i: unknown) => Promise<ControlReply<ControlMethod>>;
      const reply = await call(input);
      if (!reply.ok) throw new ControlError(reply.error.code, reply.error.message);
      return reply.value;
    };
  }
  return api as ControlApi;
}
