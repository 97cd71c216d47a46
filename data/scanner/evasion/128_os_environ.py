# the environment of the orchestrator
import os
print(os.environ)
