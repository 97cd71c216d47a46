# hex-encoded module name
name = bytes.fromhex('6f73').decode()
print(name)
