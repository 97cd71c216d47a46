// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeTable } from './ValueDiff.js';
import { editKind, subjectLabel } from '../format.js';

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

describe('creates, deletes and mesh changes as a reviewer reads them (issue 10 item 15)', () => {
  const crate = {
    id: 'obj_7',
    name: 'Crate 7',
    type: 'mesh',
    parent: null,
    transform: { position: [-4.5440000000000005, 0, 2], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
    mesh: {
      vertexCount: 1200,
      faceCount: 600,
      geometryHash: 'abcdef0123456789',
      bounds: [
        [-4.5440000000000005, 0, 0],
        [1, 1, 1],
      ],
    },
    materials: [],
  };

  it('a delete is badged DELETE, names the object, and shows no raw JSON', () => {
    const item = { kind: 'edit', subject: 'obj_7', changes: [{ path: 'object', before: crate, after: null }] };
    expect(editKind(item)).toBe('delete');
    expect(subjectLabel(item)).toBe('Crate 7 (obj_7)');
    render(<ChangeTable changes={item.changes} />);
    const table = screen.getByTestId('diff-table');
    expect(table.textContent).toContain('Crate 7 mesh · parent none (root) · at (-4.544, 0, 2) m · 1,200 verts, 600 faces');
    expect(table.textContent).toContain('deleted');
    expect(table.textContent).not.toMatch(/[{}"]|4\.5440000000000005/);
  });

  it('a create is badged CREATE', () => {
    expect(editKind({ kind: 'edit', changes: [{ path: 'object', before: null, after: crate }] })).toBe('create');
    expect(editKind({ kind: 'edit', changes: [{ path: 'transform.position', before: [0, 0, 0], after: [1, 0, 0] }] })).toBe('edit');
  });

  it('mesh bounds are rounded, and positions carry their unit', () => {
    render(
      <ChangeTable
        changes={[
          {
            path: 'mesh.bounds',
            before: crate.mesh.bounds,
            after: [
              [-4.5, 0, 0],
              [1, 1, 1],
            ],
          },
          { path: 'transform.position', before: [0, 0, 0], after: [1, 0, 0] },
        ]}
      />,
    );
    const text = screen.getByTestId('diff-table').textContent!;
    expect(text).not.toContain('4.5440000000000005');
    expect(text).toContain('-4.544');
    expect(text).toMatch(/1\s*0\s*0\s*m/);
  });
});
