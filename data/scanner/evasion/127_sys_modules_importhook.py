# sys.modules still held the import hook whose table held globalThis
import sys
sys.modules["_pyodide._importhook"].jsfinder.jsproxies["js"].process.exit(1)
