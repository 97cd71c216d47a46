# swallow the sandbox step limit
while True:
    try:
        while True:
            pass
    except:
        pass
