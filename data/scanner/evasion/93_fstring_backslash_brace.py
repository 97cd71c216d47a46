# "\{" in an f-string: lezer reads an escape, Python 3.14 a backslash and then a replacement field.
# Before the fix this passed both walls and read a host file through the JS bridge.
print(f"\{print.__globals__['sys'].modules['_pyodide._importhook'].jsfinder.jsproxies['js'].process.getBuiltinModule('fs').readFileSync('/etc/hostname', 'utf8')}")
