# U+2028 does not end a comment for Python's tokenizer: the rest of the line is comment
# note import os
print("still one comment")
