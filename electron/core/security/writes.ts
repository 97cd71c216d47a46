// What a script would change outside the scene: files on disk (`filepath` assignments and keyword
// arguments), driver expressions (Python Blender runs later), and Blender's type system
// (`bpy.types.X.attr = ...`, which outlives the transaction).
import type { SyntaxNode } from '@lezer/common';
import { dottedPath, type Bindings } from './bindings.js';
import { childrenOf, exprChildren, nfkc } from './fold.js';
import type { Report } from './report.js';

const PATH_NAMES = /^(filepath|filepath_raw|directory|filename)$/;

/** Blend-relative paths (`//textures/wood.png`) without `..` are a reviewer's call; anything else blocks. */
function judgePath(at: SyntaxNode, what: string, value: SyntaxNode | undefined, b: Bindings, report: Report): void {
  const v = value ? b.folder.fold(value) : null;
  if (typeof v === 'string' && v.startsWith('//') && !/(^|[\\/])\.\.([\\/]|$)/.test(v.slice(2))) {
    report(at, 'file-path', `${what} points Blender at '${v}' beside the .blend file`, 'warn');
  } else if (typeof v === 'string') {
    report(at, 'file-path', `${what} points Blender at '${v}', outside the project folder`);
  } else {
    report(at, 'file-path', `${what} points Blender at a file path only known when the script runs`);
  }
}

/** Driver expressions are Python that Blender evaluates later: a literal one is shown for review (the text
 * net reads its content); one only known at run time could be anything, so it blocks. */
function judgeExpression(at: SyntaxNode, value: SyntaxNode | undefined, b: Bindings, report: Report): void {
  const v = value ? b.folder.fold(value) : null;
  if (typeof v === 'string') report(at, 'driver-expression', `driver expression '${v.slice(0, 80)}' runs in Blender later`, 'warn');
  else report(at, 'driver-expression', 'driver expression only known when the script runs');
}

/** `x.filepath = ...`, `x.expression = ...`, `bpy.types.Scene.prop = ...` (assignment statements). */
export function checkAssignment(node: SyntaxNode, text: (n: SyntaxNode) => string, b: Bindings, report: Report): void {
  const kids = exprChildren(node).filter((k) => k.name !== 'TypeDef');
  const value = kids[kids.length - 1];
  for (const target of kids.slice(0, -1)) {
    if (target.name !== 'MemberExpression') continue;
    const parts = childrenOf(target);
    const prop = parts[2];
    if (parts[1]?.name === '.' && prop?.name === 'PropertyName' && PATH_NAMES.test(nfkc(text(prop)))) {
      judgePath(prop, `'.${nfkc(text(prop))} ='`, value, b, report);
    }
    if (parts[1]?.name === '.' && prop?.name === 'PropertyName' && nfkc(text(prop)) === 'expression')
      judgeExpression(prop, value, b, report);
    const path = dottedPath(target, text, b.aliases);
    if (path?.startsWith('bpy.types.')) report(target, 'bpy-blocked', `assigning '${path}' changes Blender's types beyond the transaction`);
  }
}

/** `something(filepath=...)` keyword arguments. */
export function checkPathArguments(argList: SyntaxNode, text: (n: SyntaxNode) => string, b: Bindings, report: Report): void {
  for (let k = argList.firstChild; k; k = k.nextSibling) {
    if (k.name !== 'VariableName' || k.nextSibling?.name !== 'AssignOp') continue;
    const name = nfkc(text(k));
    if (PATH_NAMES.test(name)) judgePath(k, `'${name}='`, k.nextSibling.nextSibling ?? undefined, b, report);
  }
}
