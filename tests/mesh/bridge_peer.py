#!/usr/bin/python3
"""A model bridge as the Python mesh peers run it, for tests: not this
project's code. Serves the bridge's HTTP API (PROTOCOL.md) for the model files
in a folder: GET /health, /v1/models, /v1/models/{id}, and
/v1/models/download/{id} with Range (bytes=a-b, a-, -n), 206/416, HEAD.

usage: bridge_peer.py --dir DIR [--port 0] [--node-id ID] [--type llm]
Prints "PORT <n>" on stdout once listening. Each file DIR/<id>.<format>
becomes a model; its sha256 is computed at start.

Fault modes for download tests (--fault):
  none          behave
  ignore-range  answer every Range request with 200 and the whole file
  wrong-bytes   flip one byte in the middle of every body
  wrong-bytes-all  flip the first byte of every 64 KiB block sent, so any
                range it serves is wrong
  die-after=N   close the connection after N body bytes
  slow=BPS      send at most BPS bytes per second
"""
import argparse
import hashlib
import http.server
import json
import os
import re
import socketserver
import sys
import time

EXT = {".gguf": ("llm", "gguf"), ".onnx": ("vision", "onnx"), ".tflite": ("vision", "tflite"),
       ".pt": ("vision", "pt"), ".safetensors": ("llm", "safetensors"), ".bin": ("llm", "bin")}


def scan(folder):
    models = {}
    for name in sorted(os.listdir(folder)):
        stem, ext = os.path.splitext(name)
        if ext not in EXT:
            continue
        path = os.path.join(folder, name)
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        kind, fmt = EXT[ext]
        models[stem] = ({"model_id": stem, "name": stem, "type": kind, "format": fmt,
                         "size_bytes": os.path.getsize(path), "sha256": h.hexdigest(),
                         "version": "1.0", "capabilities": ["test"], "source": "imported",
                         "metadata": {}}, path)
    return models


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def json(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        srv = self.server
        path = self.path.split("?")[0]
        if path == "/health":
            return self.json(200, {"status": "ok", "models_available": len(srv.models),
                                   "http_port": srv.server_address[1]})
        if path == "/v1/models":
            return self.json(200, {"models": [m for m, _ in srv.models.values()]})
        m = re.fullmatch(r"/v1/models/download/([^/]+)", path)
        if m:
            return self.download(m.group(1))
        m = re.fullmatch(r"/v1/models/([^/]+)", path)
        if m:
            if m.group(1) in srv.models:
                return self.json(200, srv.models[m.group(1)][0])
            return self.json(404, {"error": "Model not found"})
        return self.json(404, {"error": "Not found"})

    def download(self, model_id):
        srv = self.server
        if model_id not in srv.models:
            return self.json(404, {"error": "Model not found"})
        entry, path = srv.models[model_id]
        size = entry["size_bytes"]
        first, last, status = 0, size - 1, 200
        rng = self.headers.get("Range")
        if rng and srv.fault != "ignore-range":
            r = re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip())
            if r and (r.group(1) or r.group(2)):
                if r.group(1):
                    first = int(r.group(1))
                    last = min(int(r.group(2)), size - 1) if r.group(2) else size - 1
                else:
                    first = max(size - int(r.group(2)), 0)
                if first >= size:
                    self.send_response(416)
                    self.send_header("Content-Range", "bytes */%d" % size)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 206
        length = last - first + 1
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Disposition", 'attachment; filename="%s.%s"' % (model_id, entry["format"]))
        self.send_header("Content-Length", str(length))
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (first, last, size))
        self.end_headers()
        if self.command == "HEAD":
            return
        sent = 0
        with open(path, "rb") as f:
            f.seek(first)
            while sent < length:
                block = f.read(min(65536, length - sent))
                if not block:
                    break
                if srv.fault == "wrong-bytes" and first + sent <= size // 2 < first + sent + len(block):
                    i = size // 2 - first - sent
                    block = block[:i] + bytes([block[i] ^ 0xFF]) + block[i + 1:]
                if srv.fault == "wrong-bytes-all":
                    block = bytes([block[0] ^ 0xFF]) + block[1:]
                if srv.die_after is not None and sent + len(block) > srv.die_after:
                    self.wfile.write(block[:max(srv.die_after - sent, 0)])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(block)
                sent += len(block)
                if srv.slow:
                    time.sleep(len(block) / srv.slow)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A downloader that has what it wanted (or gives up on a fault)
        # closes the connection mid-body: not worth a traceback.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--fault", default="none")
    a = ap.parse_args()
    srv = Server((a.bind, a.port), Handler)
    srv.models = scan(a.dir)
    srv.fault = a.fault
    srv.die_after = int(a.fault.split("=")[1]) if a.fault.startswith("die-after=") else None
    srv.slow = int(a.fault.split("=")[1]) if a.fault.startswith("slow=") else 0
    print("PORT %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
