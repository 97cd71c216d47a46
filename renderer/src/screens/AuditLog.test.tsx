// @vitest-environment happy-dom
// "Search the full log": the mirror holds only the newest entries, the orchestrator's log holds
// every one. An override older than the window is found, pages follow the cursor, and only the
// rows in view are in the DOM.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/ipc/index.js';
import { attachApi } from '../api/connect.js';
import { resetStores } from '../store/index.js';
import { applySnapshot } from '../store/mirror.js';
import { fakeApi, type FakeApi } from '../testing/fake-api.js';
import { auditEntry, panelState } from '../testing/fixtures.js';
import { AuditLog } from './AuditLog.js';

let api: FakeApi;
const proposal = (seq: number) =>
  auditEntry(seq, { kind: 'proposal', actor: 'agent-a', role: 'agent', summary: `edit proposal p${seq} on cube` });

beforeEach(() => {
  resetStores();
  // The orchestrator's whole log: two overrides, then a burst of 1,300 proposals (newest first).
  const full: AuditEntry[] = [];
  for (let seq = 1302; seq >= 3; seq--) full.push(proposal(seq));
  full.push(
    auditEntry(2, {
      kind: 'emergency_unlock',
      actor: 'lena',
      role: 'lead',
      summary: 'emergency unlock: 3 subject(s) opened',
      terminal: true,
    }),
  );
  full.push(auditEntry(1, { kind: 'token_reset', actor: 'lena', role: 'lead', summary: 'token of unity reset', reason: 'key leaked' }));
  api = fakeApi(panelState({ audit: full }, 'viewer'));
  attachApi(api, 'browser');
  applySnapshot(panelState({ audit: full.slice(0, 500) }, 'viewer')); // the live window
  render(<AuditLog fixedRect={{ width: 900, height: 340 }} />);
});
afterEach(() => cleanup());

const rows = () => screen.queryAllByTestId('audit-row').map((r) => r.querySelector('td')?.textContent);

it('finds an override older than the live window', async () => {
  fireEvent.change(screen.getByLabelText('Filter by kind'), { target: { value: 'token_reset' } });
  await waitFor(() => expect(screen.getByText('No recent entry matches the filter')).toBeTruthy());
  fireEvent.click(screen.getByRole('button', { name: 'Search the full log' }));
  await waitFor(() =>
    expect(screen.getByTestId('audit-full').textContent).toContain('1 entry from the full log, newest first — that is every match.'),
  );
  expect(rows()).toEqual(['1']);
  expect(api.calls.at(-1)).toEqual({ method: 'queryAudit', input: { kinds: ['token_reset'], limit: 200 } });

  fireEvent.change(screen.getByLabelText('Filter by kind'), { target: { value: '' } });
  fireEvent.change(screen.getByLabelText('Filter by actor'), { target: { value: 'lena' } });
  expect(screen.queryByTestId('audit-full')).toBeNull(); // a new filter returns to the live view
  fireEvent.click(screen.getByRole('button', { name: 'Search the full log' }));
  await waitFor(() => expect(rows()).toEqual(['2', '1']));
});

it('pages through the whole log with the cursor, rendering only the rows in view', async () => {
  fireEvent.click(screen.getByRole('button', { name: 'Search the full log' }));
  await waitFor(() =>
    expect(screen.getByTestId('audit-full').textContent).toContain('200 entries from the full log, newest first — older matches remain.'),
  );
  expect(rows()[0]).toBe('1302');
  expect(rows().length).toBeLessThan(40);
  for (let page = 2; page <= 7; page++) {
    act(() => screen.getByRole('button', { name: 'Load older' }).click());
    const shown = Math.min(page * 200, 1302).toLocaleString('en-US');
    await waitFor(() => expect(screen.getByTestId('audit-full').textContent).toContain(`${shown} entries from the full log`));
  }
  await waitFor(() =>
    expect(screen.getByTestId('audit-full').textContent).toContain('1,302 entries from the full log, newest first — that is every match.'),
  );
  expect(screen.queryByRole('button', { name: 'Load older' })).toBeNull();
  // Each page started below the last entry of the one before.
  expect(api.calls.map((c) => (c.input as { before?: number }).before)).toEqual([undefined, 1103, 903, 703, 503, 303, 103]);
  expect(rows().length).toBeLessThan(40);
});
