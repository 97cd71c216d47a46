# Godot 4.x twin of addons/vibesync/net/ws.gd (WebSocketPeer, polled); the 4.x build takes this
# file in its place. NOT RUN: Godot 4 is not installable where this was built (see
# docs/adapters/godot.md). Same methods, same events.
extends RefCounted

var _ws := WebSocketPeer.new()
var _state := WebSocketPeer.STATE_CLOSED
var _opened := false


func open(url: String, buffer_mb: int) -> int:
	_ws.inbound_buffer_size = buffer_mb * 1024 * 1024
	_ws.outbound_buffer_size = buffer_mb * 1024 * 1024
	_ws.max_queued_packets = 4096
	_state = WebSocketPeer.STATE_CONNECTING
	return _ws.connect_to_url(url)


func poll() -> Array:
	var out := []
	_ws.poll()
	var st := _ws.get_ready_state()
	if st == WebSocketPeer.STATE_OPEN:
		if not _opened:
			_opened = true
			out.append(["open"])
		while _ws.get_available_packet_count() > 0:
			var packet := _ws.get_packet()
			if _ws.was_string_packet():
				out.append(["text", packet.get_string_from_utf8()])
			else:
				out.append(["binary", packet])
	elif st == WebSocketPeer.STATE_CLOSED and _state != WebSocketPeer.STATE_CLOSED:
		out.append(["closed", _ws.get_close_code(), _ws.get_close_reason()])
	_state = st
	return out


func send_text(text: String) -> int:
	return _ws.send_text(text)


func send_binary(bytes: PackedByteArray) -> int:
	return _ws.send(bytes, WebSocketPeer.WRITE_MODE_BINARY)


func close(code: int, reason: String) -> void:
	_ws.close(code, reason)
