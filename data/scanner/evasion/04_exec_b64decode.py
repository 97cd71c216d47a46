# exec a base64 payload ("import os; os.system('id')")
from base64 import b64decode
exec(b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oJ2lkJyk='))
