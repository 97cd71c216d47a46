# catches what it can and loops on
while True:
    try:
        while True:
            pass
    except Exception:
        pass
