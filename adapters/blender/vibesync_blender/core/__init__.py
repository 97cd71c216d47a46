# The add-on's core: everything that speaks the protocol without Blender. Canonical hashing, the
# coordinate conversion, mutations and the diff that builds them, the change set, the id policy, the
# shadow of applied values, version differences, the panel's text, the configuration, the WebSocket
# client and the session. No module here imports bpy or anything outside core/ (tests/test_layers.py
# checks), so the core's tests run in plain python3 as well as inside Blender.
