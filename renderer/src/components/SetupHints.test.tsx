// @vitest-environment happy-dom
// Issue 10 items 3 and 4: the sign-in hint and the empty states print the commands exactly as the
// running orchestrator says they must be typed (its --data folder, npx), and the Blender zip the
// build really writes, with the build step.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { enableSetupHints, resetSetupHints } from '../api/setup-hints.js';
import { ConnectEngineHelp } from './EmptyState.js';
import { LoginForm } from './LoginForm.js';

const hints = {
  cli: 'npx vibesync',
  dataFlag: '--data /srv/vs',
  blenderZip: '/repo/dist/vibesync_blender.zip',
  blenderBuild: 'python3 /repo/adapters/blender/build_zip.py',
};

beforeEach(() => {
  resetSetupHints();
  enableSetupHints();
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL('http://127.0.0.1:7420/');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      expect(url).toBe('./setup-hints.json');
      return new Response(JSON.stringify(hints), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  enableSetupHints(false);
});

describe('setup hints in the panel', () => {
  it('the sign-in hint prints the token command for this orchestrator', async () => {
    render(<LoginForm onToken={() => {}} error={null} />);
    await waitFor(() =>
      expect(screen.getByTestId('token-issue-command').textContent).toBe(
        'npx vibesync token issue --role viewer --name your-name --data /srv/vs',
      ),
    );
  });

  it('the no-engine empty state gives the adapter token command, the build step and the real zip path', async () => {
    render(<ConnectEngineHelp />);
    await waitFor(() =>
      expect(screen.getByTestId('adapter-token-command').textContent).toBe(
        'npx vibesync token issue --role adapter --name blender --data /srv/vs',
      ),
    );
    expect(screen.getByTestId('blender-build-command').textContent).toBe(hints.blenderBuild);
    expect(screen.getByTestId('blender-zip').textContent).toBe('/repo/dist/vibesync_blender.zip');
    expect(document.body.textContent).not.toContain('adapters/blender/vibesync_blender.zip');
  });
});
