# exec reached by a name held in a dict
tools = {"run": exec}
tools["run"]("import os")
