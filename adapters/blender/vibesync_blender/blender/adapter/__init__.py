# The adapter: router.py owns the connection and hands each orchestrator message to the handler of
# its type (replies, snapshots, transactions, scripts); source.py streams this Blender's own edits.
