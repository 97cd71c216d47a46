# memoryview's obj gives back the exporter
m = memoryview(b"abc")
print(m.obj)
