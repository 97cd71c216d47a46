# conditional import inside try/except
try:
    import pty
    pty.spawn("/bin/sh")
except Exception:
    pass
