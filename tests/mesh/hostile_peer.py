#!/usr/bin/python3
"""A hostile (or merely broken) mesh peer, for tests: a station-style peer
(/health, /v1/catalog, /v1/models, /v1/peers, /v1/packages, chunk lists and
downloads) serving one model file, that misbehaves in one way chosen by
--mode on the endpoints chosen by --on. Raw asyncio sockets, so it can break
HTTP itself (never finish headers, send more or fewer bytes than it says).

usage: hostile_peer.py --file PATH [--id hostile-model] [--mode M] [--on WHERE]
                       [--claim-size N] [--interval 2] [--log FILE]
Prints "PORT <n>" on stdout once listening on 127.0.0.1. --log appends one
line per request ("GET /path Range") to FILE.

--on: health, catalog (/v1/catalog and /v1/models), peers, packages, chunks,
download, json (every JSON endpoint) or all. Default: download for the
download modes, json for the others.

--mode:
  none                  behave (the catalog entry matches the file)
  status500             answer 500
  redirect302           answer 302 to the same URL (followed, it loops)
  notfound404           answer 404
  bad416                answer 416 to a satisfiable range
  ignore_range          answer 200 with the whole file to a Range request
  too_many_bytes        206 with the right Content-Range, but a Content-Length
                        and a body 64 KiB longer than the range
  too_few_bytes         206 with the right Content-Range, but a Content-Length
                        and a body half the range
  lie_size              the catalog claims --claim-size bytes (default 5 GB);
                        downloads answer with the file's real size
  lie_hash              the catalog's sha256 is another file's
  trickle_body          right headers, then one body byte every --interval s
  trickle_json          a JSON answer, one byte every --interval s
  never_finish_headers  a status line, then one header line every --interval s
  giant_json            an endless JSON body (no Content-Length), sent fast
  nested_json           a JSON body nested a million levels deep (2 MB)
  non_utf8              JSON with invalid UTF-8 in every string; a download's
                        Content-Range with a non-UTF-8 byte
"""
import argparse
import asyncio
import hashlib
import json
import os
import re
import sys

DOWNLOAD_MODES = {"status500", "redirect302", "notfound404", "bad416", "ignore_range", "too_many_bytes",
                  "too_few_bytes", "trickle_body"}
JSON_PLACES = {"health", "catalog", "peers", "packages", "chunks"}


class Peer:
    def __init__(self, a):
        self.a = a
        self.path = a.file
        self.size = os.path.getsize(a.file)
        h = hashlib.sha256()
        with open(a.file, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        self.sha = h.hexdigest()
        self.mode = a.mode
        on = a.on or ("download" if a.mode in DOWNLOAD_MODES else "json")
        self.places = {"health", "catalog", "peers", "packages", "chunks", "download"} if on == "all" else (
            JSON_PLACES if on == "json" else {on})
        self.port = 0

    def entry(self):
        size = self.a.claim_size if self.mode == "lie_size" else self.size
        sha = hashlib.sha256(b"another file").hexdigest() if self.mode == "lie_hash" else self.sha
        return {"model_id": self.a.id, "name": self.a.id, "type": "vision", "format": "onnx",
                "size_bytes": size, "sha256": sha, "version": "1.0", "capabilities": ["test"],
                "source": "imported", "metadata": {}}

    def json_for(self, place):
        if place == "health":
            return {"status": "ok", "models_available": 1, "http_port": self.port}
        if place == "catalog":
            return {"type": "model_catalog", "node_id": "hostile-node", "node_name": "hostile",
                    "timestamp": 0, "models": [self.entry()],
                    "transfer_endpoints": {"http": "http://127.0.0.1:%d" % self.port, "websocket": False},
                    "ttl_seconds": 300}
        if place == "models":
            return {"models": [self.entry()]}
        if place == "peers":
            return {"peers": []}
        if place == "packages":
            return {"packages": []}
        return None


def head(status, reason, headers):
    lines = ["HTTP/1.1 %d %s" % (status, reason)] + ["%s: %s" % kv for kv in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def send_json(w, obj, status=200):
    body = json.dumps(obj).encode()
    w.write(head(status, "OK" if status == 200 else "Error",
                 [("Content-Type", "application/json"), ("Content-Length", len(body))]) + body)
    await w.drain()


async def misbehave_json(peer, w, place, obj):
    """The --mode's answer for a JSON endpoint; returns False to close."""
    mode, iv = peer.mode, peer.a.interval
    if mode == "trickle_json":
        body = json.dumps(obj).encode()
        w.write(head(200, "OK", [("Content-Type", "application/json"), ("Content-Length", len(body))]))
        for i in range(len(body)):
            w.write(body[i:i + 1])
            await w.drain()
            await asyncio.sleep(iv)
        return True
    if mode == "never_finish_headers":
        await never_finish(w, iv)
        return False
    if mode == "giant_json":
        w.write(head(200, "OK", [("Content-Type", "application/json"), ("Connection", "close")]))
        w.write(b'{"models":[')
        item = json.dumps(peer.entry()).encode() + b","
        block = item * max(1, (1 << 16) // len(item))
        for _ in range((4 << 30) // len(block)):  # 4 GiB, unless the client hangs up first
            w.write(block)
            await w.drain()
        return False
    if mode == "nested_json":
        depth = 1_000_000
        key = {"catalog": "models", "peers": "peers", "packages": "packages", "chunks": "chunks"}.get(place, "x")
        body = b'{"' + key.encode() + b'":' + b"[" * depth + b"]" * depth + b"}"
        w.write(head(200, "OK", [("Content-Type", "application/json"), ("Content-Length", len(body))]) + body)
        await w.drain()
        return True
    if mode == "non_utf8":
        body = json.dumps(obj).encode().replace(b'"', b'"\xff\xfe', 1)
        body = re.sub(rb'"([a-z_]+)":', lambda m: b'"' + m.group(1) + b'\xc3\x28":', body)
        w.write(head(200, "OK", [("Content-Type", "application/json"), ("Content-Length", len(body))]) + body)
        await w.drain()
        return True
    if mode == "status500":
        await send_json(w, {"error": "boom"}, 500)
        return True
    if mode == "notfound404":
        await send_json(w, {"error": "Not found"}, 404)
        return True
    if mode == "redirect302":
        w.write(head(302, "Found", [("Location", "/v1/catalog" if place == "catalog" else "/health"),
                                    ("Content-Length", 0)]))
        await w.drain()
        return True
    await send_json(w, obj)
    return True


async def never_finish(w, interval):
    w.write(b"HTTP/1.1 200 OK\r\n")
    await w.drain()
    n = 0
    while True:
        await asyncio.sleep(interval)
        w.write(b"X-Slow-%d: 1\r\n" % n)
        await w.drain()
        n += 1


async def download(peer, w, rng, hostile):
    size, mode, iv = peer.size, peer.mode if hostile else "none", peer.a.interval
    if mode == "never_finish_headers":
        await never_finish(w, iv)
        return False
    if mode in ("status500", "notfound404"):
        await send_json(w, {"error": "boom" if mode == "status500" else "Model not found"},
                        500 if mode == "status500" else 404)
        return True
    if mode == "redirect302":
        w.write(head(302, "Found", [("Location", "/v1/models/download/" + peer.a.id), ("Content-Length", 0)]))
        await w.drain()
        return True
    first, last, status = 0, size - 1, 200
    m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng.strip()) if rng else None
    if m and mode != "ignore_range":
        first = int(m.group(1))
        last = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
        status = 206
        if first >= size:
            w.write(head(416, "Range Not Satisfiable", [("Content-Range", "bytes */%d" % size),
                                                        ("Content-Length", 0)]))
            await w.drain()
            return True
    if mode == "bad416":
        w.write(head(416, "Range Not Satisfiable", [("Content-Range", "bytes */0"), ("Content-Length", 0)]))
        await w.drain()
        return True
    length = last - first + 1
    sent_length = length + 65536 if mode == "too_many_bytes" else length // 2 if mode == "too_few_bytes" else length
    headers = [("Content-Type", "application/octet-stream"), ("Accept-Ranges", "bytes"),
               ("Content-Length", sent_length)]
    if status == 206:
        cr = "bytes %d-%d/%d" % (first, last, size)
        headers.append(("Content-Range", cr + "\xff" if mode == "non_utf8" else cr))
    w.write(head(status, "Partial Content" if status == 206 else "OK", headers))
    with open(peer.path, "rb") as f:
        f.seek(first)
        data = f.read(min(length, sent_length))
    data += b"\0" * (sent_length - len(data))
    if mode == "trickle_body":
        for i in range(len(data)):
            w.write(data[i:i + 1])
            await w.drain()
            await asyncio.sleep(iv)
        return True
    for i in range(0, len(data), 1 << 16):
        w.write(data[i:i + (1 << 16)])
        await w.drain()
    return True


async def handle(peer, r, w):
    try:
        while True:
            line = await r.readline()
            if not line:
                return
            parts = line.decode("latin-1").split()
            if len(parts) < 2:
                return
            path = parts[1].split("?")[0]
            headers = {}
            while True:
                h = await r.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode("latin-1").partition(":")
                headers[k.strip().lower()] = v.strip()
            if peer.a.log:
                with open(peer.a.log, "a") as f:
                    f.write("%s %s %s\n" % (parts[0], path, headers.get("range", "")))
            place, obj = None, None
            if path == "/health":
                place, obj = "health", peer.json_for("health")
            elif path == "/v1/catalog":
                place, obj = "catalog", peer.json_for("catalog")
            elif path == "/v1/models":
                place, obj = "catalog", peer.json_for("models")
            elif path == "/v1/peers":
                place, obj = "peers", peer.json_for("peers")
            elif path == "/v1/packages":
                place, obj = "packages", peer.json_for("packages")
            elif re.fullmatch(r"/v1/models/[^/]+/chunks", path):
                place = "chunks"
            elif path == "/v1/models/download/" + peer.a.id:
                if not await download(peer, w, headers.get("range"), "download" in peer.places):
                    return
                continue
            if place == "chunks" and "chunks" not in peer.places:
                await send_json(w, {"error": "Not found"}, 404)
            elif place and place in peer.places and peer.mode != "none":
                if not await misbehave_json(peer, w, place, obj if obj is not None else {"chunks": []}):
                    return
            elif obj is not None:
                await send_json(w, obj)
            else:
                await send_json(w, {"error": "Not found"}, 404)
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        try:
            w.close()
        except Exception:
            pass


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--id", default="hostile-model")
    ap.add_argument("--mode", default="none")
    ap.add_argument("--on", default="")
    ap.add_argument("--claim-size", type=int, default=5_000_000_000)
    ap.add_argument("--interval", type=float, default=2.0)
    ap.add_argument("--log", default="")
    a = ap.parse_args()
    peer = Peer(a)
    server = await asyncio.start_server(lambda r, w: handle(peer, r, w), "127.0.0.1", 0)
    peer.port = server.sockets[0].getsockname()[1]
    print("PORT %d" % peer.port, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
