# hex escapes in a literal spell the module
name = '\x73\x75\x62\x70\x72\x6f\x63\x65\x73\x73'
print(name)
