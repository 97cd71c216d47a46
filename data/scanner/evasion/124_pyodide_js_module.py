# pyodide_js is the JS side of Pyodide (its FS, its module)
import pyodide_js
pyodide_js.FS.readdir("/")
