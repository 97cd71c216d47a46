// @vitest-environment happy-dom
// The header explains what "TRUST MODE ≥ N" means, in its tooltip and to screen readers.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetStores } from '../store/index.js';
import { applySnapshot, applyUpdates } from '../store/mirror.js';
import { panelState } from '../testing/fixtures.js';
import { TopBar } from './TopBar.js';

beforeEach(() => {
  resetStores();
  applySnapshot(panelState());
  render(<TopBar />);
});
afterEach(() => cleanup());

const trustMode = () => screen.getByTestId('trust-mode');
const setThreshold = (trustThreshold: number) =>
  act(() => applyUpdates([{ kind: 'orchestrator', orchestrator: { ...panelState().orchestrator, trustThreshold } }]));

describe('header: trust mode', () => {
  it('says what "Trust mode ≥ N" means: who is auto-approved, what never is, and how trust is earned', () => {
    expect(trustMode().textContent).toBe('Trust mode≥ 80');
    expect(trustMode().title).toBe(
      'Trust mode ≥ 80: a proposal from an AI agent whose trust is 80 or more is approved automatically, with no human review ' +
        '(never a script with scanner findings, never on a DIRTY or LOCKED branch). Agents start at trust 50; each human approval ' +
        'adds 1, each rejection takes 5; automatic approvals earn nothing.',
    );
    expect(screen.getByRole('note', { name: trustMode().title })).toBe(trustMode());
  });

  it('warns when every new agent is auto-approved, and says 100 is off in practice', () => {
    setThreshold(50);
    expect(trustMode().title).toMatch(/At 50, every new agent is auto-approved from its first proposal\.$/);
    expect(trustMode().querySelector('.text-warn')?.textContent).toBe('≥ 50');
    setThreshold(100);
    expect(trustMode().title).toMatch(/At 100 it is off in practice: an agent would need the maximum trust\.$/);
    expect(trustMode().querySelector('.text-warn')).toBeNull();
  });
});
