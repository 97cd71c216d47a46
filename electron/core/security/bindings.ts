// What a script binds: names it assigns (so `socket = node.inputs[0]` is a variable, not the module),
// constants (so `a = 'o'; b = a + 's'` folds), and aliases of dotted paths (so `w = bpy.ops.wm` or
// `from bpy.app import handlers` resolve to the path the rules talk about). One pass, in source order.
import type { SyntaxNode, Tree } from '@lezer/common';
import { childrenOf, exprChildren, Folder, nfkc } from './fold.js';

export interface ImportedName {
  /** The module path as written, NFKC-normalised; relative imports start with '.'. */
  module: string;
  /** The full path a bound name stands for (`from bpy.app import handlers` → bpy.app.handlers), or `module.*`. */
  path: string;
  node: SyntaxNode;
  bound: string | null;
}

export interface Bindings {
  bound: Set<string>;
  aliases: Map<string, string>;
  folder: Folder;
}

/** Reads one ImportStatement into the modules it names and the names it binds. */
export function readImport(node: SyntaxNode, text: (n: SyntaxNode) => string): ImportedName[] {
  const kids = childrenOf(node);
  const out: ImportedName[] = [];
  const name = (n: SyntaxNode): string => nfkc(text(n));
  if (kids[0]?.name === 'from') {
    const importAt = kids.findIndex((k) => k.name === 'import');
    const modParts = kids.slice(1, importAt < 0 ? kids.length : importAt);
    const module = modParts
      .map((k) => (k.name === '.' ? '.' : k.name === 'VariableName' ? name(k) : text(k)))
      .join('')
      .replace(/([^.])\.?$/, '$1');
    const first = modParts.find((k) => k.name === 'VariableName') ?? kids[0]!;
    const items = importAt < 0 ? [] : kids.slice(importAt + 1);
    if (items.some((k) => k.name === '*')) out.push({ module, path: `${module}.*`, node: first, bound: null });
    for (let i = 0; i < items.length; i++) {
      const k = items[i]!;
      if (k.name !== 'VariableName' || items[i - 1]?.name === 'as') continue;
      const alias = items[i + 1]?.name === 'as' ? items[i + 2] : undefined;
      out.push({ module, path: `${module}.${name(k)}`, node: first, bound: name(alias ?? k) });
    }
    if (out.length === 0) out.push({ module, path: module, node: first, bound: null });
    return out;
  }
  let parts: SyntaxNode[] = [];
  const flush = (alias: SyntaxNode | undefined): void => {
    if (parts.length === 0) return;
    const module = parts.map(name).join('.');
    out.push({ module, path: alias ? module : name(parts[0]!), node: parts[0]!, bound: alias ? name(alias) : name(parts[0]!) });
    parts = [];
  };
  for (let i = 1; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.name === 'VariableName') parts.push(k);
    else if (k.name === 'as') {
      flush(kids[i + 1]);
      i++;
    } else if (k.name === ',') flush(undefined);
  }
  flush(undefined);
  return out;
}

/** True where a VariableName is being bound (assigned, a loop or `as` target, a parameter, a def/class name). */
export function isBindingSite(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  const prev = node.prevSibling;
  if (prev && ['as', 'def', 'class'].includes(prev.name)) return true;
  if (parent.name === 'ParamList') return prev?.name !== 'AssignOp';
  if (['AssignStatement', 'NamedExpression'].includes(parent.name)) {
    for (let s = node.nextSibling; s; s = s.nextSibling) if (s.name === 'AssignOp') return true;
    return false;
  }
  if (parent.name === 'UpdateStatement') return node === parent.firstChild || parent.firstChild?.from === node.from;
  for (let s = prev; s; s = s.prevSibling) {
    if (s.name === 'in') break;
    if (s.name === 'for') return true;
  }
  if (['TupleExpression', 'ArrayExpression', 'ParenthesizedExpression'].includes(parent.name)) return isBindingSite(parent);
  return false;
}

/** The dotted path an expression names (`bpy.ops.wm`), with the first name resolved through aliases. */
export function dottedPath(node: SyntaxNode, text: (n: SyntaxNode) => string, aliases: Map<string, string>): string | null {
  const names: string[] = [];
  let n: SyntaxNode | null = node;
  while (n && n.name === 'MemberExpression') {
    const base: SyntaxNode | null = n.firstChild;
    const dot = base?.nextSibling;
    const prop = dot?.nextSibling;
    if (dot?.name !== '.' || prop?.name !== 'PropertyName') return null;
    names.push(nfkc(text(prop)));
    n = base;
  }
  if (!n || n.name !== 'VariableName') return null;
  const root = nfkc(text(n));
  names.push(aliases.get(root) ?? root);
  return names.reverse().join('.');
}

/** One pass over the tree, in source order, collecting bound names, constants and aliases. */
export function collectBindings(tree: Tree, src: string): Bindings {
  const folder = new Folder(src);
  const text = (n: SyntaxNode): string => src.slice(n.from, n.to);
  const bound = new Set<string>();
  const aliases = new Map<string, string>();
  tree.iterate({
    enter(ref) {
      const node = ref.node;
      if (node.name === 'VariableName' && node.parent?.name !== 'ImportStatement' && isBindingSite(node)) bound.add(nfkc(text(node)));
      if (node.name === 'ImportStatement') {
        // Import bindings stay out of `bound`: `import socket` must not make `socket` look like a local variable.
        for (const imp of readImport(node, text)) if (imp.bound) aliases.set(imp.bound, imp.path);
      } else if (node.name === 'AssignStatement') {
        const kids = exprChildren(node).filter((k) => k.name !== 'TypeDef');
        const value = kids[kids.length - 1];
        const targets = kids
          .slice(0, -1)
          .filter((k) => k.name === 'VariableName')
          .map((k) => nfkc(text(k)));
        if (!value || targets.length === 0) return;
        const v = folder.fold(value);
        const path = dottedPath(value, text, aliases);
        for (const t of targets) {
          if (v !== null) folder.env.set(t, v);
          else folder.env.delete(t);
          if (path) aliases.set(t, path);
          else aliases.delete(t);
        }
      } else if (node.name === 'UpdateStatement') {
        const [target, op, value] = childrenOf(node);
        if (target?.name !== 'VariableName' || !value) return;
        const name = nfkc(text(target));
        const before = folder.env.get(name);
        const add = folder.fold(value);
        if (op && text(op) === '+=' && typeof before === 'string' && typeof add === 'string') folder.env.set(name, before + add);
        else folder.env.delete(name);
      }
    },
  });
  return { bound, aliases, folder };
}
