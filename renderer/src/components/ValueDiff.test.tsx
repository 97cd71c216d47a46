// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeTable } from './ValueDiff.js';

afterEach(() => cleanup());
const rowOf = (path: string) => screen.getByText(path).closest('tr')!;
const marked = (cell: Element, side: 'before' | 'after') => [...cell.querySelectorAll(`.changed-${side}`)].map((e) => e.textContent);

describe('before/after of a change', () => {
  it('shows a mesh as vertex and face counts, marking only the count that changes', () => {
    render(
      <ChangeTable
        changes={[
          {
            path: 'mesh',
            before: { vertexCount: 1200, faceCount: 800, geometryHash: 'abcdef1234567890' },
            after: { vertexCount: 2400, faceCount: 800, geometryHash: '0123456789abcdef' },
          },
        ]}
      />,
    );
    const [, before, after] = within(rowOf('mesh')).getAllByRole('cell');
    expect(before!.textContent).toBe('1,200 verts800 faces#abcdef12');
    expect(after!.textContent).toBe('2,400 verts800 faces#01234567');
    expect(marked(after!, 'after')).toEqual(['2,400 verts']);
    expect(marked(before!, 'before')).toEqual(['1,200 verts']);
  });

  it('shows a material colour as swatches with the changed channels marked, and a scalar as text', () => {
    render(
      <ChangeTable
        changes={[
          { path: 'material.baseColor', before: [1, 0, 0, 1], after: [0, 0.5, 1, 1] },
          { path: 'material.roughness', before: 0.5, after: 0.25 },
          { path: 'material.emissionColor', before: undefined, after: [0.2, 0.2, 0.2] },
        ]}
      />,
    );
    const [, before, after] = within(rowOf('material.baseColor')).getAllByRole('cell');
    expect((before!.querySelector('.swatch') as HTMLElement).style.background).toBe('rgba(255, 0, 0, 1)');
    expect((after!.querySelector('.swatch') as HTMLElement).style.background).toBe('rgba(0, 128, 255, 1)');
    expect(marked(after!, 'after')).toEqual(['0', '0.5', '1']);
    expect(
      within(rowOf('material.roughness'))
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['material.roughness', '0.5', '0.25']);
    const [, unset, set] = within(rowOf('material.emissionColor')).getAllByRole('cell');
    expect(unset!.textContent).toBe('not set');
    expect(set!.querySelector('.swatch')).not.toBeNull();
  });

  it('says so when a change reports no field', () => {
    render(<ChangeTable changes={[]} />);
    expect(screen.getByText('No field-level changes reported.')).toBeTruthy();
  });
});
