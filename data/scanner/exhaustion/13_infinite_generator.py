# an endless generator consumed by sum: its frames are traced
def forever():
    n = 0
    while True:
        n += 1
        yield n
print(sum(forever()))
