#!/usr/bin/python3
"""A mesh node on the relay, written the way the mesh's own Python nodes
are (../shared/PROTOCOL.md "Transfer messages", "The relay"), so the
station's relay transfers are tested against a peer that is not its own
code. It joins a mesh with a join token and either serves one file or
fetches one model.

usage:
  mesh_node.py URL TOKEN_FILE NODE_ID serve FILE MODEL_ID [--fault F]
  mesh_node.py URL TOKEN_FILE NODE_ID fetch TARGET MODEL_ID OUT_FILE

URL is ws://host:port/relay/{mesh_id}. Prints "JOINED" once in the mesh,
then, serving: "SENT <request_id>" when every chunk of a transfer was
acknowledged and "COMPLETE <verification_status>" or "CANCELLED <reason>"
when the requester says so; fetching: "VERIFIED <sha256>" or
"FAILED <why>", and exits (0 only when verified).

As the mesh's nodes do: the catalog is gossiped as a `broadcast` on joining
and every --gossip-every seconds (the mesh's 300; tests shorten it), with
transfer_endpoints without "http" (a node behind NAT); chunks are 64 KiB of
base64 without chunk_sha256 (optional, and the Python nodes leave it out);
at most 2 chunks unacknowledged; a chunk without an ack for --ack-timeout
seconds (30) is sent again. The fetching side keeps a set of the chunk
indexes it has, acks each, and checks the whole file's SHA-256.

Faults for the tests (serving only):
  corrupt-once   the first copy of chunk 1 has one byte flipped (no
                 chunk_sha256 to catch it: only the final hash can)
  wrong-sha      model_transfer_start names a SHA-256 that is not the catalog's
  silent         accepts the request, sends the start, then nothing
"""
import argparse
import asyncio
import base64
import hashlib
import json
import os
import sys
import time
import uuid

import websockets

CHUNK = 64 * 1024


def say(line):
    print(line, flush=True)


async def serve(ws, args, node_id):
    data = open(args.file, "rb").read()
    sha = hashlib.sha256(data).hexdigest()
    entry = {
        "model_id": args.model_id, "name": args.model_id, "type": "llm", "format": "gguf",
        "size_bytes": len(data), "sha256": sha, "version": "1.0", "capabilities": ["text-generation"],
        "source": "imported", "metadata": {},
    }
    catalog = {"type": "model_catalog", "node_id": node_id, "node_name": "python-node",
               "timestamp": int(time.time() * 1000), "models": [entry],
               "transfer_endpoints": {"websocket": True}, "ttl_seconds": 300}
    if args.http:
        catalog["transfer_endpoints"]["http"] = args.http
    async def gossip_loop():
        while True:
            catalog["timestamp"] = int(time.time() * 1000)
            await ws.send(json.dumps({"type": "broadcast", "payload": catalog}))
            await asyncio.sleep(args.gossip_every)

    gossiper = asyncio.create_task(gossip_loop())
    total = (len(data) + CHUNK - 1) // CHUNK
    transfers = {}  # request_id -> state
    corrupted = False

    async def send_chunk(requester, rid, index):
        nonlocal corrupted
        piece = data[index * CHUNK:(index + 1) * CHUNK]
        if args.fault == "corrupt-once" and index == 1 and not corrupted:
            corrupted = True
            piece = bytes([piece[0] ^ 0xFF]) + piece[1:]
        msg = {"type": "model_transfer_chunk", "request_id": rid, "model_id": args.model_id,
               "chunk_index": index, "total_chunks": total,
               "chunk_bytes": base64.b64encode(piece).decode()}
        transfers[rid]["sent"][index] = time.monotonic()
        await ws.send(json.dumps({"type": "direct", "target": requester, "payload": msg}))

    async def fill(requester, rid):
        t = transfers[rid]
        while len(t["sent"]) < 2 and t["next"] < total:
            await send_chunk(requester, rid, t["next"])
            t["next"] += 1
        if not t["sent"] and t["next"] >= total and not t["all_acked"]:
            t["all_acked"] = True
            say("SENT " + rid)

    async def resend_loop():
        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            for rid, t in list(transfers.items()):
                for index, at in list(t["sent"].items()):
                    if now - at >= args.ack_timeout:
                        await send_chunk(t["requester"], rid, index)

    resender = asyncio.create_task(resend_loop())
    try:
        async for raw in ws:
            frame = json.loads(raw)
            if frame.get("type") != "message":
                continue
            payload = frame.get("payload") or {}
            sender = frame.get("from")
            kind = payload.get("type")
            if kind == "model_request" and payload.get("model_id") == args.model_id:
                rid = payload["request_id"]
                first = int(payload.get("resume_from_byte") or 0) // CHUNK
                transfers[rid] = {"requester": sender, "next": first, "sent": {}, "all_acked": False}
                start = {"type": "model_transfer_start", "request_id": rid, "model_id": args.model_id,
                         "total_bytes": len(data), "total_chunks": total, "chunk_size": CHUNK,
                         "sha256": ("0" * 64 if args.fault == "wrong-sha" else sha), "metadata": {},
                         "transfer_method": "websocket_chunked"}
                await ws.send(json.dumps({"type": "direct", "target": sender, "payload": start}))
                if args.fault != "silent":
                    await fill(sender, rid)
            elif kind == "model_transfer_chunk_ack":
                t = transfers.get(payload.get("request_id"))
                if t is not None:
                    t["sent"].pop(int(payload.get("chunk_index", -1)), None)
                    await fill(t["requester"], payload["request_id"])
            elif kind == "model_transfer_complete":
                say("COMPLETE " + str(payload.get("verification_status")))
                transfers.pop(payload.get("request_id"), None)
            elif kind == "model_transfer_cancel":
                say("CANCELLED " + str(payload.get("reason")))
                transfers.pop(payload.get("request_id"), None)
    finally:
        resender.cancel()
        gossiper.cancel()


async def fetch(ws, args, node_id):
    rid = uuid.uuid4().hex[:16]
    request = {"type": "model_request", "request_id": rid, "requester_node_id": node_id,
               "target_node_id": args.target, "model_id": args.model_id, "resume_from_byte": 0,
               "transport": "websocket"}
    await ws.send(json.dumps({"type": "direct", "target": args.target, "payload": request}))
    chunks = {}
    start = None
    async for raw in ws:
        frame = json.loads(raw)
        if frame.get("type") == "error":
            say("FAILED " + str(frame.get("message")))
            return 1
        if frame.get("type") != "message" or frame.get("from") != args.target:
            continue
        payload = frame.get("payload") or {}
        kind = payload.get("type")
        if payload.get("request_id") not in (None, rid):
            continue
        if kind == "model_transfer_start":
            start = payload
        elif kind == "model_transfer_chunk" and start is not None:
            piece = base64.b64decode(payload["chunk_bytes"])
            if payload.get("chunk_sha256") and hashlib.sha256(piece).hexdigest() != payload["chunk_sha256"]:
                continue  # not acknowledged: sent again
            chunks[int(payload["chunk_index"])] = piece
            ack = {"type": "model_transfer_chunk_ack", "request_id": rid,
                   "chunk_index": payload["chunk_index"], "status": "received"}
            await ws.send(json.dumps({"type": "direct", "target": args.target, "payload": ack}))
            if len(chunks) == start["total_chunks"]:
                data = b"".join(chunks[i] for i in range(start["total_chunks"]))
                digest = hashlib.sha256(data).hexdigest()
                ok = digest == start["sha256"]
                done = {"type": "model_transfer_complete", "request_id": rid, "model_id": args.model_id,
                        "total_bytes_received": len(data), "sha256_computed": digest,
                        "sha256_expected": start["sha256"],
                        "verification_status": "verified" if ok else "failed",
                        "storage_path": os.path.basename(args.out)}
                await ws.send(json.dumps({"type": "direct", "target": args.target, "payload": done}))
                if not ok:
                    say("FAILED hash " + digest)
                    return 1
                with open(args.out, "wb") as f:
                    f.write(data)
                say("VERIFIED " + digest)
                return 0
        elif kind == "model_transfer_cancel":
            say("FAILED cancelled " + str(payload.get("reason")) + ": " + str(payload.get("message")))
            return 1
    say("FAILED the relay closed the link")
    return 1


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("token_file")
    p.add_argument("node_id")
    sub = p.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("serve")
    s.add_argument("file")
    s.add_argument("model_id")
    s.add_argument("--fault", default="none", choices=["none", "corrupt-once", "wrong-sha", "silent"])
    s.add_argument("--ack-timeout", type=float, default=30.0)
    s.add_argument("--gossip-every", type=float, default=300.0)
    s.add_argument("--http", help="an HTTP endpoint to advertise (nothing serves it)")
    f = sub.add_parser("fetch")
    f.add_argument("target")
    f.add_argument("model_id")
    f.add_argument("out")
    args = p.parse_args()
    token = json.load(open(args.token_file))
    async with websockets.connect(args.url, max_size=16 * 1024 * 1024) as ws:
        await ws.send(json.dumps({"type": "join", "node_id": args.node_id, "name": "python-node",
                                  "capabilities": ["models"], "token": token}))
        while True:
            frame = json.loads(await ws.recv())
            if frame.get("type") == "error":
                say("FAILED join: " + str(frame.get("message")))
                return 1
            if frame.get("type") in ("joined", "peers"):
                break
        say("JOINED")
        if args.mode == "serve":
            await serve(ws, args, args.node_id)
            return 0
        return await fetch(ws, args, args.node_id)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
