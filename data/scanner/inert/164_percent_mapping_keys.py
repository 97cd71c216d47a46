# %-formatting looks up mapping keys, never attributes
print("%(__class__)s %(__globals__)s" % {"__class__": "a", "__globals__": "b"})
