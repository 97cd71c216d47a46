# The one place the adapter touches Godot 3's WebSocket API (WebSocketClient + signals). Godot 4
# replaces it with WebSocketPeer polled by hand: the 4.x build's net/ws.gd (from
# godot4/overlay/addons/vibesync/net/ws.gd) has the same methods and events.
# poll() returns what happened since the last call: ["open"], ["text", String],
# ["binary", PoolByteArray] (blob chunks), ["closed", code, reason], in order.
extends Reference

var _ws: WebSocketClient
var _events = []
var _close = [1006, ""]


func open(url: String, buffer_mb: int) -> int:
	_ws = WebSocketClient.new()
	if _ws.has_method("set_buffers"):
		_ws.set_buffers(buffer_mb * 1024, 4096, buffer_mb * 1024, 4096)
	_ws.connect("connection_established", self, "_on_open")
	_ws.connect("connection_closed", self, "_on_closed")
	_ws.connect("connection_error", self, "_on_error")
	_ws.connect("server_close_request", self, "_on_close_request")
	_ws.connect("data_received", self, "_on_data")
	return _ws.connect_to_url(url)


func poll() -> Array:
	_ws.poll()
	var out = _events
	_events = []
	return out


func send_text(text: String) -> int:
	var peer = _ws.get_peer(1)
	peer.set_write_mode(WebSocketPeer.WRITE_MODE_TEXT)
	return peer.put_packet(text.to_utf8())


func send_binary(bytes: PoolByteArray) -> int:
	var peer = _ws.get_peer(1)
	peer.set_write_mode(WebSocketPeer.WRITE_MODE_BINARY)
	return peer.put_packet(bytes)


func close(code: int, reason: String) -> void:
	_ws.disconnect_from_host(code, reason)


func _on_open(_protocol) -> void:
	_events.append(["open"])


func _on_close_request(code, reason) -> void:
	_close = [code, reason]


func _on_closed(_clean) -> void:
	_events.append(["closed", _close[0], _close[1]])


func _on_error() -> void:
	_events.append(["closed", 1006, "connection error"])


func _on_data() -> void:
	var peer = _ws.get_peer(1)
	while peer.get_available_packet_count() > 0:
		var packet = peer.get_packet()
		if peer.was_string_packet():
			_events.append(["text", packet.get_string_from_utf8()])
		else:
			_events.append(["binary", packet])
