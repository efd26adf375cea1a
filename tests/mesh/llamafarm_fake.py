#!/usr/bin/python3
"""LlamaFarm's vision API as the model bridge reads it (PROTOCOL.md "How a
bridge builds its catalog"), for tests: not this project's code, not
LlamaFarm's. Answers GET /v1/vision/models and
GET /v1/vision/federation/packages with the two JSON documents in ANSWERS
({"models": <body>, "packages": <body>}, sent byte for byte as given),
everything else 404.

usage: llamafarm_fake.py ANSWERS
Prints "PORT <n>" on stdout once listening on 127.0.0.1.
"""
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        bodies = self.server.bodies
        key = {"/v1/vision/models": "models", "/v1/vision/federation/packages": "packages"}.get(self.path)
        body = bodies.get(key) if key else None
        if body is None:
            self.send_response(404)
            body = b'{"detail":"Not Found"}'
        else:
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    with open(sys.argv[1], "rb") as f:
        answers = json.load(f)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.bodies = {k: v.encode() for k, v in answers.items()}
    print("PORT", server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
