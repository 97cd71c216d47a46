# a thread survives the transaction
import threading
import bpy

def spin():
    while True:
        pass

threading.Thread(target=spin, daemon=True).start()
