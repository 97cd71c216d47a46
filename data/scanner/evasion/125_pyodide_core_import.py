# the C core of the FFI: any JS proxy leads to JS Function
import _pyodide_core
_pyodide_core.create_proxy([]).constructor.constructor("return process")().exit(1)
