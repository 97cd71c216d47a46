# an upper-case, triple-quoted f-string, the hidden field after an ordinary one
label = "crate"
F"""{label}: \{print.__globals__['builtins'].__import__('os').listdir('/')}"""
