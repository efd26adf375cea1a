#!/usr/bin/python3
"""A mesh relay for tests: behaves like the Atmosphere mesh's own WebSocket
relay (../shared/PROTOCOL.md "The relay"), so the station's relay client is
tested against a real process on loopback, never a mock inside the process
under test. The station does not ship a relay: the mesh deploys its own
(port 8765); this script exists only for the tests.

usage: atmo_relay.py [--host 127.0.0.1] [--port 0] [--first-frame-timeout 30]
                     [--stale-timeout 120] [--max-frame BYTES] [faults...]
Prints "LISTENING <port>" on stdout once listening (port 0 picks one).

What it does, as the mesh's relay does:
- ws://host:port/relay/{mesh_id}; every frame one JSON object. GET /health
  answers JSON; any other path is 404.
- The first frame decides who a connection is; any failure sends
  {"type":"error","code":..,"message":..} and closes with 1008, and so does
  no first frame within --first-frame-timeout seconds.
  register_mesh: the founder proof (Ed25519 over the UTF-8 mesh_id) is checked
  with node_public_key when given, else with mesh_public_key. The first
  founder of a mesh_id owns it; the same founder node may register again.
  The registering connection is in the mesh at once (joined, peers).
  join: a registered founder rejoins without a token; a token is checked (in
  this order, with the mesh relay's messages): fields present and typed,
  "Token expired", "Token bound to different node", "Token already used
  (replay)" (the nonce was used by a different node), "Mesh not registered",
  the token's mesh_id is this mesh, then the signature by the mesh key over
  json.dumps(the seven other fields, capabilities sorted, sort_keys=True,
  separators=(",", ":")). Without a token a registered mesh refuses
  (TOKEN_REQUIRED) and an unregistered one is open to anyone.
- joined {mesh, mesh_id, node_count}, then peers; peer_joined / peer_left to
  the others; broadcast (the mesh relay adds "from" to the payload) and
  direct (an unknown target gets {"type":"error","message":"Peer X not
  found"}); ping -> pong {timestamp}. A second connection of a node_id
  replaces the first, which is closed with 1000 "Replaced by new connection"
  (and, unlike the mesh's relay, does not then report the node as left).
  A joined connection silent for --stale-timeout seconds is closed.

Faults for transfer tests (default: none, the behaviour above is exact):
  --drop-node ID --drop-after-frames N   abort ID's connection (no close
                                         frame) after N frames relayed to it;
                                         once
  --duplicate-direct                     deliver every direct message twice
  --reorder-direct                       swap each pair of direct messages to
                                         the same target (a held one is sent
                                         after 1 s if no second one comes)
  --no-pong                              ignore pings (a dead-looking link)
  --no-joined-frame                      send `peers` but no `joined` after a join, as
                                         the mesh relay's v2.0 server does
"""
import argparse
import asyncio
import base64
import binascii
import json
import sys
import time
from http import HTTPStatus

import nacl.exceptions
import nacl.signing
import websockets

args = None
started_at = time.time()
meshes = {}          # mesh_id -> {node_id: Peer}
mesh_keys = {}       # mesh_id -> raw 32-byte mesh public key
mesh_names = {}      # mesh_id -> name
founders = {}        # mesh_id -> set of node_ids
used_nonces = {}     # nonce -> node_id that used it first
drop_done = False
held_direct = {}     # target node_id -> (frame, task) for --reorder-direct


class Refusal(Exception):
    def __init__(self, code, message, reason=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason or message


class Peer:
    def __init__(self, ws, node_id, name, capabilities, is_founder):
        self.ws = ws
        self.node_id = node_id
        self.name = name
        self.capabilities = capabilities
        self.is_founder = is_founder
        self.joined_at = time.time()
        self.last_seen = time.time()
        self.frames_to = 0

    def info(self):
        return {"node_id": self.node_id, "name": self.name, "capabilities": self.capabilities,
                "is_founder": self.is_founder, "joined_at": self.joined_at}


def b64(text, size, what):
    if not isinstance(text, str):
        raise Refusal("INVALID", f"{what} must be a base64 string")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Refusal("INVALID", f"{what} is not valid base64")
    if len(raw) != size:
        raise Refusal("INVALID", f"{what} must be {size} bytes, not {len(raw)}")
    return raw


def verify(public_key, signature, message):
    try:
        nacl.signing.VerifyKey(public_key).verify(message, signature)
        return True
    except (nacl.exceptions.BadSignatureError, ValueError):
        return False


def text_field(msg, key, default=""):
    value = msg.get(key, default)
    return value if isinstance(value, str) else default


def capability_list(msg):
    caps = msg.get("capabilities", [])
    if not isinstance(caps, list) or not all(isinstance(c, str) for c in caps):
        raise Refusal("INVALID", "capabilities must be a list of strings")
    return caps


def register(mesh_id, msg):
    node_id = msg.get("node_id")
    key_b64 = msg.get("mesh_public_key")
    proof_b64 = msg.get("founder_proof")
    if not (isinstance(node_id, str) and node_id and key_b64 and proof_b64):
        raise Refusal("MISSING_FIELDS", "Missing required fields for mesh registration", "Missing required fields")
    if mesh_id in mesh_keys:
        if node_id in founders[mesh_id]:
            return node_id, True
        raise Refusal("REGISTRATION_FAILED", "Mesh already registered by different founder")
    try:
        mesh_key = b64(key_b64, 32, "mesh_public_key")
        signer = b64(msg["node_public_key"], 32, "node_public_key") if msg.get("node_public_key") else mesh_key
        proof = b64(proof_b64, 64, "founder_proof")
    except Refusal as r:
        raise Refusal("REGISTRATION_FAILED", f"Invalid founder proof: {r.message}")
    if not verify(signer, proof, mesh_id.encode()):
        raise Refusal("REGISTRATION_FAILED", "Invalid founder proof: Signature was forged or corrupt")
    mesh_keys[mesh_id] = mesh_key
    mesh_names[mesh_id] = text_field(msg, "name", mesh_id[:8])
    founders[mesh_id] = {node_id}
    return node_id, True


def check_token(mesh_id, token, node_id):
    def bad(message):
        return Refusal("TOKEN_INVALID", message, f"Token verification failed: {message}")

    if not isinstance(token, dict):
        raise bad("Invalid token: the token must be a JSON object")
    t_mesh, nonce, signature, issuer = (token.get(k) for k in ("mesh_id", "nonce", "signature", "issuer_id"))
    if not all([t_mesh, nonce, signature, issuer]):
        raise bad("Missing required token fields")
    if not all(isinstance(v, str) for v in (t_mesh, nonce, signature, issuer)):
        raise bad("Invalid token: mesh_id, nonce, signature and issuer_id must be strings")
    expires_at, issued_at = token.get("expires_at", 0), token.get("issued_at")
    for name, value in (("expires_at", expires_at), ("issued_at", issued_at)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(f"Invalid token: {name} must be a number")
    bound = token.get("node_id")
    if bound is not None and not isinstance(bound, str):
        raise bad("Invalid token: node_id must be a string or null")
    caps = token.get("capabilities", [])
    if not isinstance(caps, list) or not all(isinstance(c, str) for c in caps):
        raise bad("Invalid token: capabilities must be a list of strings")
    if time.time() > expires_at:
        raise bad("Token expired")
    if bound and bound != node_id:
        raise bad("Token bound to different node")
    if nonce in used_nonces and used_nonces[nonce] != node_id:
        raise bad("Token already used (replay)")
    if t_mesh not in mesh_keys:
        raise bad("Mesh not registered")
    if t_mesh != mesh_id:
        raise bad("Token is for a different mesh")
    canonical = {"mesh_id": t_mesh, "node_id": bound, "issued_at": issued_at, "expires_at": expires_at,
                 "capabilities": sorted(caps), "issuer_id": issuer, "nonce": nonce}
    canonical_bytes = json.dumps(canonical, sort_keys=True, separators=(",", ":")).encode()
    try:
        sig = b64(signature, 64, "signature")
    except Refusal as r:
        raise bad(f"Invalid token: {r.message}")
    if not verify(mesh_keys[t_mesh], sig, canonical_bytes):
        raise bad("Invalid token: Signature was forged or corrupt")
    used_nonces.setdefault(nonce, node_id)


def join(mesh_id, msg):
    node_id = msg.get("node_id")
    if not isinstance(node_id, str) or not node_id:
        raise Refusal("MISSING_FIELDS", "node_id required")
    if node_id in founders.get(mesh_id, set()):
        return node_id, True
    token = msg.get("token")
    if token:
        check_token(mesh_id, token, node_id)
    elif mesh_id in mesh_keys:
        raise Refusal("TOKEN_REQUIRED", "This mesh requires a token to join", "Token required")
    return node_id, False


async def send(ws, obj):
    await ws.send(json.dumps(obj))


async def send_to_peer(peer, obj):
    """A frame to a joined peer, counting it for --drop-after-frames."""
    global drop_done
    try:
        await send(peer.ws, obj)
    except websockets.ConnectionClosed:
        return
    peer.frames_to += 1
    if (args.drop_node == peer.node_id and not drop_done and args.drop_after_frames is not None
            and peer.frames_to >= args.drop_after_frames):
        drop_done = True
        peer.ws.transport.abort()


async def to_others(mesh_id, exclude, obj):
    for node_id, peer in list(meshes.get(mesh_id, {}).items()):
        if node_id != exclude:
            await send_to_peer(peer, obj)


async def deliver_direct(mesh_id, target, frame):
    peer = meshes.get(mesh_id, {}).get(target)
    if peer:
        await send_to_peer(peer, frame)
        if args.duplicate_direct:
            await send_to_peer(peer, frame)


async def release_held(mesh_id, target):
    await asyncio.sleep(1)
    held = held_direct.pop((mesh_id, target), None)
    if held:
        await deliver_direct(mesh_id, target, held[0])


async def direct(ws, mesh_id, node_id, msg):
    target = msg.get("target")
    room = meshes.get(mesh_id, {})
    if not isinstance(target, str) or target not in room:
        await send(ws, {"type": "error", "message": f"Peer {target} not found"})
        return
    frame = {"type": "message", "from": node_id, "payload": msg.get("payload", {})}
    if not args.reorder_direct:
        await deliver_direct(mesh_id, target, frame)
        return
    held = held_direct.pop((mesh_id, target), None)
    if held is None:
        held_direct[(mesh_id, target)] = (frame, asyncio.ensure_future(release_held(mesh_id, target)))
        return
    held[1].cancel()
    await deliver_direct(mesh_id, target, frame)
    await deliver_direct(mesh_id, target, held[0])


async def refuse(ws, refusal):
    try:
        await send(ws, {"type": "error", "code": refusal.code, "message": refusal.message})
        await ws.close(1008, refusal.reason.encode()[:120].decode(errors="ignore"))
    except websockets.ConnectionClosed:
        pass


async def handler(ws):
    mesh_id = ws.path.split("?")[0][len("/relay/"):]
    try:
        first = await asyncio.wait_for(ws.recv(), timeout=args.first_frame_timeout)
    except asyncio.TimeoutError:
        await refuse(ws, Refusal("TIMEOUT", "Registration timeout"))
        return
    except websockets.ConnectionClosed:
        return
    try:
        msg = json.loads(first) if isinstance(first, str) else None
        if not isinstance(msg, dict):
            raise Refusal("INVALID", "The first frame must be a JSON object")
        if msg.get("type") == "register_mesh":
            node_id, is_founder = register(mesh_id, msg)
            name = text_field(msg, "display_name", node_id[:8])
        elif msg.get("type") == "join":
            node_id, is_founder = join(mesh_id, msg)
            name = text_field(msg, "name", node_id[:8])
        else:
            raise Refusal("INVALID", "First message must be register_mesh or join")
        capabilities = capability_list(msg)
    except (Refusal, ValueError) as e:
        await refuse(ws, e if isinstance(e, Refusal) else Refusal("INVALID", "The first frame is not JSON"))
        return

    if msg["type"] == "register_mesh":
        await send(ws, {"type": "mesh_registered", "success": True})
    room = meshes.setdefault(mesh_id, {})
    old = room.get(node_id)
    peer = Peer(ws, node_id, name, capabilities, is_founder)
    room[node_id] = peer
    if old:
        await old.ws.close(1000, "Replaced by new connection")
    await to_others(mesh_id, node_id, {"type": "peer_joined", "node_id": node_id, "name": name,
                                       "capabilities": capabilities, "is_founder": is_founder})
    if not args.no_joined_frame:
        await send(ws, {"type": "joined", "mesh": mesh_names.get(mesh_id, mesh_id[:8]), "mesh_id": mesh_id,
                        "node_count": len(room)})
    await send(ws, {"type": "peers", "peers": [p.info() for n, p in room.items() if n != node_id]})
    try:
        async for raw in ws:
            peer.last_seen = time.time()
            try:
                data = json.loads(raw) if isinstance(raw, str) else None
            except ValueError:
                continue
            if not isinstance(data, dict):
                continue
            kind = data.get("type")
            if kind == "ping":
                if not args.no_pong:
                    await send(ws, {"type": "pong", "timestamp": time.time()})
            elif kind == "broadcast":
                payload = data.get("payload", {})
                if not isinstance(payload, dict):
                    await send(ws, {"type": "error", "message": "payload must be a JSON object"})
                    continue
                payload["from"] = node_id
                await to_others(mesh_id, node_id, {"type": "message", "from": node_id, "payload": payload})
            elif kind == "direct":
                await direct(ws, mesh_id, node_id, data)
    except websockets.ConnectionClosed:
        pass
    finally:
        if room.get(node_id) is peer:
            del room[node_id]
            await to_others(mesh_id, None, {"type": "peer_left", "node_id": node_id})
            if not room:
                meshes.pop(mesh_id, None)


async def stale_sweeper():
    while True:
        await asyncio.sleep(max(0.5, min(60.0, args.stale_timeout / 2)))
        now = time.time()
        for room in list(meshes.values()):
            for peer in list(room.values()):
                if now - peer.last_seen > args.stale_timeout:
                    await peer.ws.close(1000, "Connection timeout")


async def process_request(path, headers):
    path = path.split("?")[0]
    if path == "/health":
        body = {"status": "ok", "meshes": len(meshes), "connections": sum(len(r) for r in meshes.values()),
                "registered_meshes": len(mesh_keys), "uptime_seconds": time.time() - started_at}
        return HTTPStatus.OK, [("Content-Type", "application/json")], json.dumps(body).encode()
    if not path.startswith("/relay/") or len(path) <= len("/relay/") or "/" in path[len("/relay/"):]:
        return HTTPStatus.NOT_FOUND, [("Content-Type", "application/json")], b'{"error":"Not found"}'
    return None


async def main():
    server = await websockets.serve(handler, args.host, args.port, process_request=process_request,
                                    max_size=args.max_frame)
    port = server.sockets[0].getsockname()[1]
    print(f"LISTENING {port}", flush=True)
    asyncio.ensure_future(stale_sweeper())
    await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="A mesh relay for tests (PROTOCOL.md, The relay).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--first-frame-timeout", type=float, default=30.0)
    parser.add_argument("--stale-timeout", type=float, default=120.0)
    parser.add_argument("--max-frame", type=int, default=16 * 1024 * 1024)
    parser.add_argument("--drop-node")
    parser.add_argument("--drop-after-frames", type=int)
    parser.add_argument("--duplicate-direct", action="store_true")
    parser.add_argument("--reorder-direct", action="store_true")
    parser.add_argument("--no-pong", action="store_true")
    parser.add_argument("--no-joined-frame", action="store_true")
    args = parser.parse_args()
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
