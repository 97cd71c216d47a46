// Runs a control call, reports failure (typed code + message, "<label> failed — <why>") and
// tracks "busy" and, for a call made in steps, its progress. Every screen's action goes through
// here, so the wording and the busy rules are the same everywhere.
import { useCallback, useRef, useState } from 'react';
import type { ControlApi } from '../../../shared/ipc/index.js';
import { describeError } from '../api/control-error.js';
import { decideInChunks, type ChunkResult, type DecisionOutcome } from '../api/decide.js';
import { usePanel } from '../store/index.js';

export const NOT_CONNECTED = 'not connected to the orchestrator';

/** How far an action made in steps has got; `label` is the run's label. */
export interface ActionProgress {
  label: string;
  done: number;
  total: number;
}

export interface RunOptions {
  /** Refuse (no call, resolves undefined) while another run of this hook is in flight. */
  exclusive?: boolean;
  /** Where the failure text goes; a notice when omitted (a dialog that stays open shows it itself). */
  onError?(message: string): void;
}

export interface ChunkedOptions extends RunOptions {
  /** Each chunk's decided pids, as it lands. */
  onChunk?(decided: string[]): void;
  /** When given, a notice summing up what was decided ("Approved 12,000"), before any failure. */
  doneLabel?: string;
  /** Appended to that notice (e.g. what the decision does not do yet). */
  doneSuffix?: string;
}

export interface RunContext {
  /** Reports progress; shown until the run ends. */
  report(done: number, total: number): void;
  /** Reports a failure the way the run would (for a run that resolves with a partial result). */
  fail(message: string): void;
}

export const failureText = (label: string, why: unknown, after = ''): string =>
  `${label} failed${after} — ${typeof why === 'string' ? why : describeError(why)}`;

export function useAction() {
  const inFlight = useRef(0);
  const runs = useRef(0);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<(ActionProgress & { run: number }) | null>(null);

  const run = useCallback(
    async <T>(label: string, fn: (api: ControlApi, ctx: RunContext) => Promise<T>, opts: RunOptions = {}): Promise<T | undefined> => {
      if (opts.exclusive && inFlight.current > 0) return undefined;
      const { api, notify } = usePanel.getState();
      const fail = opts.onError ?? ((message: string) => notify('error', message));
      if (!api) {
        fail(failureText(label, NOT_CONNECTED));
        return undefined;
      }
      const id = ++runs.current;
      inFlight.current++;
      setBusy(true);
      try {
        return await fn(api, { report: (done, total) => setProgress({ label, done, total, run: id }), fail });
      } catch (e) {
        fail(failureText(label, e));
        return undefined;
      } finally {
        // Busy until the last of overlapping runs ends; progress only cleared by the run that set it.
        if (--inFlight.current === 0) setBusy(false);
        setProgress((p) => (p?.run === id ? null : p));
      }
    },
    [],
  );

  /**
   * Decides `pids` in chunks (api/decide.ts), with progress after each; the first failure stops
   * it and its text says how far it got. Resolves to the outcome, or undefined when it did not start.
   */
  const runChunked = useCallback(
    async (
      label: string,
      pids: readonly string[],
      call: (api: ControlApi, chunk: string[]) => Promise<ChunkResult>,
      opts: ChunkedOptions = {},
    ): Promise<DecisionOutcome | undefined> =>
      run(
        label,
        async (api, { report, fail }) => {
          report(0, pids.length);
          const out = await decideInChunks(
            pids,
            (chunk) => call(api, chunk),
            ({ done, total, decided }) => {
              opts.onChunk?.(decided);
              report(done, total);
            },
          );
          const reached = out.decided.length + out.missing.length;
          if (opts.doneLabel && (out.decided.length || !out.error)) {
            usePanel
              .getState()
              .notify(
                'ok',
                `${opts.doneLabel} ${out.decided.length.toLocaleString()}${out.missing.length ? ` (${out.missing.length.toLocaleString()} already decided)` : ''}${out.error ? ` of ${pids.length.toLocaleString()}` : ''}${out.decided.length ? (opts.doneSuffix ?? '') : ''}`,
              );
          }
          if (out.error)
            fail(failureText(label, out.error, reached ? ` after ${reached.toLocaleString()} of ${pids.length.toLocaleString()}` : ''));
          return out;
        },
        opts,
      ),
    [run],
  );

  /** Whether a run is in flight now, for event handlers (`busy` is as of the last render). */
  const isBusy = useCallback(() => inFlight.current > 0, []);

  return { busy, isBusy, progress: progress && { label: progress.label, done: progress.done, total: progress.total }, run, runChunked };
}
