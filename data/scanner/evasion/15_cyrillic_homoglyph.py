# Cyrillic lookalike name that a reviewer reads as "exec"
еxес = print
еxес("looks harmless")
