# eval passed as a value, never called by name
results = list(map(eval, ["1", "2"]))
