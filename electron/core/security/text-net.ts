// The second net: patterns over normalised text (NFKC, comments removed, whitespace and line
// continuations collapsed) for what the tree walk might miss, e.g. code inside string payloads.
// Every match is mapped back to its offset in the original script.
import type { Tree } from '@lezer/common';
import type { Report } from './tree-walk.js';

const STRICT_MODULES =
  'os|sys|subprocess|socket|shutil|ctypes|pickle|marshal|importlib|builtins|pty|multiprocessing|threading|urllib|requests|posix|codecs|base64';
const IMPORT_MODULES = `${STRICT_MODULES}|http|pathlib|io|tempfile|runpy|inspect|asyncio|signal|operator|binascii|zlib`;

interface Pattern {
  rule: string;
  re: RegExp;
  message: (m: RegExpExecArray) => string;
}

const PATTERNS: Pattern[] = [
  {
    rule: 'text:import',
    re: new RegExp(`\\bimport\\s+(?:[\\w.]+(?:\\s+as\\s+\\w+)?\\s*,\\s*)*(${IMPORT_MODULES})\\b`, 'g'),
    message: (m) => `text imports blocked module '${m[1]}'`,
  },
  {
    rule: 'text:import',
    re: new RegExp(`\\bfrom\\s+(${IMPORT_MODULES})(?:\\.[\\w.]+)?\\s+import\\b`, 'g'),
    message: (m) => `text imports from blocked module '${m[1]}'`,
  },
  {
    rule: 'text:call',
    re: /\b(exec|eval|compile|__import__|breakpoint|getattr|setattr|delattr|globals|locals|vars|execfile)\s*\(/g,
    message: (m) => `text calls '${m[1]}()'`,
  },
  {
    rule: 'text:dunder',
    re: /__(builtins|globals|subclasses|class|bases|base|mro|code|dict|import|loader|spec|closure|getattribute)__/g,
    message: (m) => `text names '${m[0]}'`,
  },
  {
    rule: 'text:module',
    re: new RegExp(`(?<![\\w.])(${STRICT_MODULES})\\s*\\.\\s*[A-Za-z_]`, 'g'),
    message: (m) => `text uses module '${m[1]}'`,
  },
  {
    rule: 'text:bpy',
    re: /\bbpy\s*\.\s*(ops\s*\.\s*wm|app\s*\.\s*(?:handlers|timers|driver_namespace)|utils\s*\.\s*(?:register|unregister|execfile|load_scripts))\b/g,
    message: (m) => `text uses 'bpy.${m[1]!.replace(/\s/g, '')}'`,
  },
  {
    rule: 'text:frame',
    re: /\b(f_globals|f_back|f_builtins|gi_frame|co_code|tb_frame)\b/g,
    message: (m) => `text walks interpreter frames ('${m[1]}')`,
  },
  {
    rule: 'text:decoder',
    re: /\b(b64decode|b32decode|b85decode|unhexlify)\s*\(|['"]rot[-_]?13['"]/g,
    message: (m) => `text decodes a hidden payload ('${m[1] ?? 'rot13'}')`,
  },
];

const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** The script as the patterns see it, with `origin[i]` the offset in `src` that produced character i. */
export function normaliseText(src: string, tree: Tree): { text: string; origin: number[] } {
  const comments: [number, number][] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name === 'Comment') comments.push([ref.from, ref.to]);
    },
  });
  const out: string[] = [];
  const origin: number[] = [];
  let lastSpace = false;
  const space = (at: number): void => {
    if (lastSpace) return;
    out.push(' ');
    origin.push(at);
    lastSpace = true;
  };
  let c = 0;
  for (let i = 0; i < src.length;) {
    while (c < comments.length && comments[c]![1] <= i) c++;
    const comment = comments[c];
    if (comment && comment[0] <= i) {
      space(i);
      i = comment[1];
      continue;
    }
    const code = src.charCodeAt(i);
    if (code < 0x80) {
      // ASCII: NFKC leaves it alone
      if (code === 92 && (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n'))) {
        space(i);
        i += src[i + 1] === '\r' ? 3 : 2;
        continue;
      }
      if (code === 32 || (code >= 9 && code <= 13)) space(i);
      else {
        out.push(src[i]!);
        origin.push(i);
        lastSpace = false;
      }
      i++;
      continue;
    }
    const ch = String.fromCodePoint(src.codePointAt(i)!);
    for (const unit of ch.normalize('NFKC')) {
      if (/\s/.test(unit)) {
        space(i);
        continue;
      }
      out.push(unit);
      for (let k = 0; k < unit.length; k++) origin.push(i);
      lastSpace = false;
    }
    i += ch.length;
  }
  return { text: out.join(''), origin };
}

/**
 * Runs the text patterns over `src` and reports each match at its original position. `localNames` are
 * names the script binds itself (a node `socket` variable), which the module pattern leaves alone.
 */
export function scanText(src: string, tree: Tree, report: Report, localNames: ReadonlySet<string> = new Set()): void {
  for (const m of src.matchAll(INVISIBLE)) {
    const at = m.index;
    report(
      { from: at, to: at + 1 },
      'invisible-char',
      `invisible or direction-changing character U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
    );
  }
  const { text, origin } = normaliseText(src, tree);
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      if (p.rule === 'text:module' && localNames.has(m[1]!)) continue;
      const from = origin[m.index] ?? 0;
      report({ from, to: origin[m.index + m[0].length - 1] ?? from }, p.rule, p.message(m));
    }
  }
}
