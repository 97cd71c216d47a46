// The script sandbox's child process: one Pyodide interpreter (loaded from node_modules, never the
// network) that runs one AI script at a time over the scene data API and sends back what it changed.
// Plain .mjs so it needs no TypeScript loader under tsx, vitest or the Electron bundle.
// The host (sandbox.ts) has already checked the script against the allow-list policy; the Python
// prelude (sandbox-prelude.mjs) is the second layer: restricted builtins, import allow-list, step /
// output caps, the sealed JS bridge. This process is the last: sandbox.ts forks it under Node's
// permission model (it may read only Pyodide's files and its own, write nothing, start no process or
// thread) with an empty environment, so code that got from Python to JS still holds no file, token or
// secret of the orchestrator. Time is the host's: it kills this process, which stops even a long C call.
/* global WebAssembly */
import { constants } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { PRELUDE } from './sandbox-prelude.mjs';

const { memoryBytes, pyodideDir } = JSON.parse(process.argv[2] ?? '{}');

// Fail closed: a runtime that ignored the permission flags would run scripts with the full Node API.
const permission = process.permission;
if (!permission || !permission.has('fs.read', pyodideDir) || ['fs.write', 'child', 'worker'].some((scope) => permission.has(scope)))
  throw new Error('the sandbox process started without Node’s permission model');

// The orchestrator gone (crashed, killed) closes the channel: nobody is left to answer.
process.on('disconnect', () => process.exit(0));

// Hard memory cap: the interpreter's WebAssembly heap may not grow past memoryBytes. A refused grow
// makes malloc fail, so Python raises MemoryError; the run is then reported as MEMORY_LIMIT.
let memoryCapHit = false;
const grow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function (delta) {
  if (this.buffer.byteLength + delta * 65536 > memoryBytes) {
    memoryCapHit = true;
    throw new RangeError('script sandbox memory limit');
  }
  return grow.call(this, delta);
};

// The permission model refuses process.binding; Pyodide's file system layer asks it only for the
// open() flags (process.binding('constants').fs), which node:fs exports as fs.constants.
const binding = process.binding;
process.binding = (name) => (name === 'constants' ? { fs: constants } : binding.call(process, name));

// Imported by path, from the directory sandbox.ts resolved and granted: nothing else to resolve or read.
// indexURL explicit: Pyodide otherwise guesses it from a stack trace, which source maps rewrite.
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, 'pyodide.mjs')).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + '/', stdout: () => {}, stderr: () => {}, packages: [] });
const ns = pyodide.toPy({});
pyodide.runPython(PRELUDE, { globals: ns });
const runScript = ns.get('run_script');
ns.get('seal')();
process.send({ type: 'ready' });

process.on('message', (msg) => {
  memoryCapHit = false;
  let spent = false;
  let reply;
  try {
    reply = JSON.parse(runScript(msg.code, JSON.stringify(msg.scene), JSON.stringify(msg.config)));
  } catch (e) {
    const message = String(e && e.message ? e.message : e);
    // Deep data (a list nested 200,000 times, then repr / == / hash) recurses in C until the
    // WebAssembly stack overflows: a RecursionError for the script, and this interpreter is spent.
    reply = /Maximum call stack size exceeded/.test(message)
      ? { ok: false, code: 'SCRIPT_ERROR', message: 'RecursionError: the script nested its data too deeply', output: '', steps: 0 }
      : { ok: false, code: 'SANDBOX_FAILED', message: message.slice(-2000), output: '', steps: 0 };
    spent = true;
  }
  if (memoryCapHit && !(reply.ok === false && reply.code === 'MEMORY_LIMIT'))
    reply = {
      ok: false,
      code: 'MEMORY_LIMIT',
      message: 'the script ran out of its memory',
      output: reply.output ?? '',
      steps: reply.steps ?? 0,
    };
  process.send({ type: 'result', id: msg.id, reply, spent, heapBytes: pyodide._module.HEAP8.buffer.byteLength });
});
