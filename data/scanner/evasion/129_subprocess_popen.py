# a process through subprocess
import subprocess
subprocess.Popen(["sh", "-c", "id"])
