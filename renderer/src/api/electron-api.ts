// ControlApi over the Electron preload bridge: unwraps each ControlReply into a value or a
// ControlError, and reports the orchestrator's clock carried by each reply.
import { CONTROL_METHODS, type ControlApi, type ControlBridge, type ControlMethod, type ControlReply } from '../../../shared/ipc/index.js';
import type { ServerTimeSample } from '../store/index.js';
import { ControlError } from './control-error.js';

declare global {
  interface Window { vibesync?: ControlBridge }
}

export function electronApi(bridge: ControlBridge, onServerTime: (s: ServerTimeSample) => void = () => {}): ControlApi {
  const api: Record<string, unknown> = { onUpdate: bridge.onUpdate };
  for (const method of CONTROL_METHODS) {
    api[method] = async (input: unknown) => {
      const call = bridge[method] as (i: unknown) => Promise<ControlReply<ControlMethod>>;
      const sentAt = Date.now();
      const reply = await call(input);
      if (reply.serverNow !== undefined) onServerTime({ serverNow: reply.serverNow, sentAt, receivedAt: Date.now() });
      if (!reply.ok) throw new ControlError(reply.error.code, reply.error.message);
      return reply.value;
    };
  }
  return api as ControlApi;
}
