# the Pyodide FFI by its public names
from pyodide.ffi import to_js
from pyodide.code import run_js
run_js("process.exit(1)")
