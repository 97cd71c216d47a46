# an async generator exposes ag_frame
async def agen():
    yield 1
print(agen().ag_frame)
