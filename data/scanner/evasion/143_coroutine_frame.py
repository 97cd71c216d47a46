# a coroutine object's frame
async def co():
    pass
c = co()
print(c.cr_frame.f_globals)
