// The first net: walks the lezer syntax tree of an AI script and reports every import, name, attribute,
// bpy path and built-up string that the policy in rules.ts refuses. Positions come from the tree.
import type { SyntaxNode, Tree } from '@lezer/common';
import { collectBindings, dottedPath, isBindingSite, readImport, type Bindings } from './bindings.js';
import { childrenOf, exprChildren, nfkc, type Value } from './fold.js';
import { skeleton } from './homoglyphs.js';
import type { Report } from './report.js';
import { checkAssignment, checkPathArguments } from './writes.js';
import {
  ALLOWED_BPY_OPS,
  ALLOWED_DUNDERS,
  ALLOWED_IMPORTS,
  AMBIGUOUS_MODULE_WORDS,
  BLOCKED_ATTRIBUTES,
  BLOCKED_BUILTINS,
  BLOCKED_DUNDERS,
  BLOCKED_MODULES,
  DECODER_CALLS,
  SOFT_BUILTINS,
  blockedBpyPath,
  isAllowedImport,
  isSensitiveName,
} from './rules.js';

export type { Report } from './report.js';

const CODEC_NAMES = /^(rot[-_ ]?13|base[-_ ]?64|hex|zlib|bz2|uu|quopri)(_codec)?$/i;

const isDunder = (n: string): boolean => /^__\w+__$/.test(n);
const dunderBlocked = (n: string): boolean => BLOCKED_DUNDERS.has(n) || (isDunder(n) && !ALLOWED_DUNDERS.has(n));

function sensitiveTokens(s: string): string[] {
  return nfkc(s)
    .split(/[^A-Za-z0-9_]+/)
    .filter((t) => t && !AMBIGUOUS_MODULE_WORDS.has(t) && isSensitiveName(t));
}

/** Walks `tree` and reports through `report`; returns what the script binds (the text net needs it). */
export function walkTree(tree: Tree, src: string, report: Report): Bindings {
  const text = (n: SyntaxNode): string => src.slice(n.from, n.to);
  const b = collectBindings(tree, src);
  tree.iterate({
    enter(ref) {
      const node = ref.node;
      if (node.type.isError) {
        report(node, 'syntax', 'the script does not parse; an AI script that does not parse is never run');
        return;
      }
      switch (node.name) {
        case 'ImportStatement':
          checkImport(node, text, report);
          break;
        case 'VariableName':
          // Inside `@a.b.c` lezer gives every part as a VariableName; after a dot it is an attribute.
          if (node.parent?.name === 'Decorator' && node.prevSibling?.name === '.') checkAttribute(node, text(node), report);
          else checkName(node, text(node), b, report);
          break;
        case 'Decorator':
          checkDecoratorPath(node, text, b, report);
          break;
        case 'AssignStatement':
          checkAssignment(node, text, b, report);
          break;
        case 'PropertyName':
          checkAttribute(node, text(node), report);
          break;
        case 'MemberExpression':
          checkBpyPath(node, text, b, report);
          checkPrivateModuleAttribute(node, text, b, report);
          checkBuiltString(node, text, b, report);
          break;
        case 'CallExpression':
          checkCall(node, text, b, report);
          checkBuiltString(node, text, b, report);
          break;
        case 'String':
        case 'FormatString':
        case 'ContinuedString':
        case 'BinaryExpression':
          checkBuiltString(node, text, b, report);
          break;
      }
    },
  });
  return b;
}

function checkImport(node: SyntaxNode, text: (n: SyntaxNode) => string, report: Report): void {
  for (const imp of readImport(node, text)) {
    const root = imp.module.split('.')[0] ?? '';
    const bpy = blockedBpyPath(imp.module) ?? blockedBpyPath(imp.path.replace(/\.\*$/, ''));
    if (BLOCKED_MODULES.has(root)) report(imp.node, 'import-blocked', `import of blocked module '${imp.module}'`);
    else if (bpy) report(imp.node, 'bpy-blocked', `import of '${bpy}' (it loads files, runs code or outlives the transaction)`);
    else if (!isAllowedImport(imp.module))
      report(imp.node, 'import-not-allowed', `import of '${imp.module}', which is not on the scene-script allow-list`);
    else if (imp.path.endsWith('.*') && imp.module.startsWith('bpy'))
      report(imp.node, 'bpy-blocked', `star import from '${imp.module}' pulls in blocked bpy APIs`);
  }
}

function checkIdentifierForm(node: SyntaxNode, raw: string, report: Report): string {
  const name = nfkc(raw);
  if (name !== raw) report(node, 'unicode-identifier', `identifier '${raw}' is '${name}' to Python (NFKC): disguised identifier`);
  else if ([...raw].some((c) => c.charCodeAt(0) > 0x7f)) {
    const skel = skeleton(raw);
    if (skel !== raw && (isSensitiveName(skel) || BLOCKED_MODULES.has(skel)))
      report(node, 'homoglyph', `identifier '${raw}' imitates '${skel}' with look-alike letters`);
    else report(node, 'non-ascii-identifier', `identifier '${raw}' uses non-ASCII letters`, 'warn');
  }
  return name;
}

function checkName(node: SyntaxNode, raw: string, b: Bindings, report: Report): void {
  const name = checkIdentifierForm(node, raw, report);
  const parent = node.parent;
  if (parent?.name === 'ImportStatement') return; // judged as an import
  if (parent?.name === 'ArgList' && node.nextSibling?.name === 'AssignOp') return; // keyword-argument name
  const called = parent?.name === 'CallExpression' && parent.firstChild?.from === node.from;
  if (BLOCKED_BUILTINS.has(name)) {
    report(node, 'builtin-blocked', called ? `call to blocked builtin '${name}()'` : `reference to blocked builtin '${name}'`);
  } else if (dunderBlocked(name)) {
    report(node, 'dunder', `use of interpreter internal '${name}'`);
  } else if (BLOCKED_MODULES.has(name) && !b.bound.has(name) && !isBindingSite(node)) {
    report(node, 'module-reference', `reference to blocked module '${name}'`);
  } else if (SOFT_BUILTINS.has(name) && (called || !b.bound.has(name))) {
    report(node, 'builtin-blocked', `call to blocked builtin '${name}()'`);
  } else if (DECODER_CALLS.has(name) && called) {
    report(node, 'decoder', `'${name}()' decodes a hidden payload`);
  }
}

function checkAttribute(node: SyntaxNode, raw: string, report: Report): void {
  const name = checkIdentifierForm(node, raw, report);
  const bare = name.replace(/^_+/, '');
  if (dunderBlocked(name)) report(node, 'dunder', `access to interpreter internal '.${name}'`);
  else if (BLOCKED_MODULES.has(bare) && !AMBIGUOUS_MODULE_WORDS.has(bare))
    report(node, 'module-reference', `reaches blocked module '${bare}' through attribute '.${name}'`);
  else if (BLOCKED_ATTRIBUTES.has(name)) report(node, 'attribute-blocked', `access to blocked attribute '.${name}'`);
  else if (DECODER_CALLS.has(name) && node.parent?.parent?.name === 'CallExpression')
    report(node, 'decoder', `'.${name}()' decodes a hidden payload`);
}

function checkBpyPath(node: SyntaxNode, text: (n: SyntaxNode) => string, b: Bindings, report: Report): void {
  const path = dottedPath(node, text, b.aliases);
  if (!path || !path.startsWith('bpy.')) return;
  const blocked = blockedBpyPath(path);
  const at = childrenOf(node)[2] ?? node;
  if (blocked) {
    // Reported once, where the chain first turns blocked, unless the whole chain is an allowed helper.
    const base = childrenOf(node)[0];
    const basePath = base ? dottedPath(base, text, b.aliases) : null;
    if (basePath && blockedBpyPath(basePath)) return;
    let outer = node;
    while (
      outer.parent?.name === 'MemberExpression' &&
      outer.parent.firstChild?.from === outer.from &&
      childrenOf(outer.parent)[1]?.name === '.'
    )
      outer = outer.parent;
    const full = dottedPath(outer, text, b.aliases);
    if (full && !blockedBpyPath(full)) return;
    report(at, 'bpy-blocked', `'${path}' is blocked: ${blocked} loads files, runs code or outlives the transaction`);
    return;
  }
  const op = /^bpy\.ops\.(\w+)$/.exec(path);
  if (op && !ALLOWED_BPY_OPS.has(op[1]!))
    report(at, 'bpy-ops-unreviewed', `operator category 'bpy.ops.${op[1]}' is not on the scene-edit list`, 'warn');
}

/** `@bpy.app.handlers.persistent`: a decorator's dotted name is judged like any other bpy path. */
function checkDecoratorPath(node: SyntaxNode, text: (n: SyntaxNode) => string, b: Bindings, report: Report): void {
  const parts: SyntaxNode[] = [];
  for (const k of childrenOf(node).slice(1)) {
    if (k.name === 'VariableName') parts.push(k);
    else if (k.name !== '.') break;
  }
  if (parts.length === 0) return;
  const root = nfkc(text(parts[0]!));
  const names = [b.aliases.get(root) ?? root, ...parts.slice(1).map((p) => nfkc(text(p)))];
  for (let i = 1; i < names.length; i++) {
    const path = names.slice(0, i + 1).join('.');
    const blocked = path.startsWith('bpy.') ? blockedBpyPath(path) : null;
    if (blocked) {
      report(parts[i]!, 'bpy-blocked', `'${path}' is blocked: ${blocked} loads files, runs code or outlives the transaction`);
      return;
    }
  }
}

/** `random._os`, `bpy.path._os`: a library's private names are its own imports, a way around the import wall. */
function checkPrivateModuleAttribute(node: SyntaxNode, text: (n: SyntaxNode) => string, b: Bindings, report: Report): void {
  const kids = childrenOf(node);
  const prop = kids[2];
  if (kids[1]?.name !== '.' || prop?.name !== 'PropertyName') return;
  const name = nfkc(text(prop));
  if (!name.startsWith('_') || isDunder(name)) return;
  const base = dottedPath(kids[0]!, text, b.aliases);
  const root = base?.split('.')[0];
  if (root && ALLOWED_IMPORTS.has(root) && !b.bound.has(root))
    report(prop, 'private-attribute', `access to '${base}.${name}', a private name of a library module`);
}

function checkCall(node: SyntaxNode, text: (n: SyntaxNode) => string, b: Bindings, report: Report): void {
  const [callee, argList] = childrenOf(node);
  if (!callee || argList?.name !== 'ArgList') return;
  const args = exprChildren(argList);
  const name = callee.name === 'VariableName' ? nfkc(text(callee)) : null;
  if (name === 'type' && args.length >= 3) report(callee, 'type-builder', "three-argument 'type()' builds a class at run time");
  checkPathArguments(argList, text, b, report);
  const prop = callee.name === 'MemberExpression' ? childrenOf(callee)[2] : undefined;
  const method = prop?.name === 'PropertyName' ? nfkc(text(prop)) : null;
  if (method === 'decode' || method === 'encode') {
    for (const a of args) {
      const v = b.folder.fold(a);
      if (typeof v === 'string' && CODEC_NAMES.test(v)) report(a, 'decoder', `'.${method}(..., '${v}')' decodes a hidden payload`);
    }
  }
}

/** Folds strings built at run time (and literals with escapes) and reports any blocked name they spell. */
function checkBuiltString(node: SyntaxNode, text: (n: SyntaxNode) => string, b: Bindings, report: Report): void {
  const raw = text(node);
  if (node.name === 'String') {
    if (/__\w+__/.test(raw) && [...raw.matchAll(/__\w+?__/g)].some((m) => dunderBlocked(m[0]))) {
      report(node, 'dunder-string', 'string names an interpreter internal');
    }
    const plain = !childrenOf(node).some((c) => c.name === 'Escape');
    if (plain || node.parent?.name === 'ContinuedString') return;
  }
  if (node.name === 'BinaryExpression' && node.parent?.name === 'BinaryExpression') return; // judged at the outermost
  if (node.name === 'MemberExpression' && node.firstChild?.nextSibling?.name !== '[') return; // only subscripts fold
  const v: Value = b.folder.fold(node);
  const hits = typeof v === 'string' ? sensitiveTokens(v) : [];
  if (hits.length > 0) report(node, 'string-evasion', `string built at run time spells '${hits[0]}'`);
}

export { sensitiveTokens };
