// @vitest-environment happy-dom
// Issue 10 item 16: Tab cannot leave a modal dialog (focus is trapped, wrapping both ways).
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Modal } from './Modal.js';

afterEach(() => cleanup());

function setup() {
  render(
    <>
      <button>Behind the dialog</button>
      <Modal title="Emergency unlock" onClose={() => {}}>
        <input aria-label="Type" />
        <input aria-label="Reason" />
        <button>Cancel</button>
        <button disabled>Unlock</button>
      </Modal>
    </>,
  );
}

describe('modal focus trap', () => {
  it('Tab from the last enabled control wraps to the first, Shift+Tab from the first to the last', () => {
    setup();
    expect(document.activeElement).toBe(screen.getByLabelText('Type'));
    screen.getByRole('button', { name: 'Cancel' }).focus();
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByLabelText('Type'));
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  });

  it('focus that got behind the dialog is brought back into it by the next Tab', () => {
    setup();
    screen.getByRole('button', { name: 'Behind the dialog' }).focus();
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(screen.getByRole('dialog').contains(document.activeElement)).toBe(true);
  });
});
