#!/usr/bin/python3
"""Hostile clients against `atmosphere serve` on 127.0.0.1, with the figures
the security note carries: the server's peak RSS idle and under each attack,
crashes (the process died) and hangs (/health unanswered for 10 s during or
after an attack).

Attacks: one 1 GiB request body; three 1 GiB bodies at once; 20 connections
each sending an endless header block (up to 64 MiB each); 200 slowloris
connections (a request head trickled one byte every 2 s for 40 s); 500
connections each holding a kept-alive request open; 20 clients that ask for
a 64 MiB download and never read (how long until the server drops them).

It is a benchmark, not a test: it prints figures and exits 0 unless it could
not run. Usage:

  tests/bench/attack_serve.py [--bin build/bin/atmosphere] [--only body1g,slowloris]

Needs /usr/bin/python3 (standard library only). Takes about three minutes.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

GiB = 1 << 30
MiB = 1 << 20


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return -1
    return -1


class Sampler(threading.Thread):
    """Peak RSS of pid, sampled every 20 ms, and /health answered or not."""

    def __init__(self, pid, port):
        super().__init__(daemon=True)
        self.pid, self.port, self.peak, self.stop = pid, port, 0, threading.Event()
        self.health_stalls = 0  # no answer at all within 10 s
        self.health_refused = 0  # 503: the per-address cap, since every client here is 127.0.0.1

    def run(self):
        last_health = 0.0
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_kb(self.pid))
            now = time.monotonic()
            if now - last_health > 2:
                last_health = now
                status = health(self.port, timeout=10)
                if status is None:
                    self.health_stalls += 1
                elif status == 503:
                    self.health_refused += 1
            time.sleep(0.02)


def health(port, timeout=10.0):
    """Status of GET /health, or None if no answer within timeout."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                try:
                    chunk = s.recv(4096)
                except OSError:  # a reset after the answer (a 503 at the cap)
                    break
                if not chunk:
                    break
                data += chunk
            m = re.match(rb"HTTP/1\.\d (\d{3})", data)
            return int(m.group(1)) if m else None
    except OSError:
        return None


def send_body(port, size, results):
    sent = 0
    status = None
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % size)
        block = b"x" * MiB
        while sent < size:
            s.sendall(block)
            sent += len(block)
        s.settimeout(30)
        data = s.recv(4096)
        m = re.match(rb"HTTP/1\.\d (\d{3})", data)
        status = int(m.group(1)) if m else None
    except OSError as e:
        try:
            data = s.recv(4096)
            m = re.match(rb"HTTP/1\.\d (\d{3})", data)
            status = int(m.group(1)) if m else type(e).__name__
        except OSError:
            status = type(e).__name__
    results.append((sent, status))


def attack_bodies(port, count):
    results = []
    threads = [threading.Thread(target=send_body, args=(port, GiB, results)) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return "; ".join(f"sent {sent // MiB} MiB, got {status}" for sent, status in results)


def endless_headers(port, results):
    sent = 0
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        line = b"X-Filler: " + b"a" * 1000 + b"\r\n"
        block = line * 1024
        while sent < 64 * MiB:
            s.sendall(block)
            sent += len(block)
        results.append((sent, "all sent"))
    except OSError as e:
        results.append((sent, type(e).__name__))


def attack_headers(port):
    results = []
    threads = [threading.Thread(target=endless_headers, args=(port, results)) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(sent for sent, _ in results)
    outcomes = {}
    for _, o in results:
        outcomes[o] = outcomes.get(o, 0) + 1
    return f"20 connections sent {total // MiB} MiB of header in all; outcomes {outcomes}"


def poll_peer(s, got):
    """True once the server closed s; what it sent before is added to got[0]."""
    try:
        data = s.recv(4096, socket.MSG_DONTWAIT)
        if data == b"":
            return True
        got[0] += data
        return False
    except BlockingIOError:
        return False
    except OSError:
        return True


def attack_slowloris(port, count=200, duration=40):
    """Each connection sends a request line, then one byte of a header every 2 s.
    Times are from each connection's own connect."""
    conns, opened = [], time.monotonic()
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            s.settimeout(None)  # blocking mode: MSG_DONTWAIT then really does not wait
            conns.append({"s": s, "got": [b""], "closed": None, "at": time.monotonic()})
        except OSError:
            pass
    filler = b"X-Slow: yes\r\n"
    i, last_drip = 0, 0.0
    while time.monotonic() - opened < duration:
        drip = time.monotonic() - last_drip >= 2
        if drip:
            last_drip = time.monotonic()
            i += 1
        for c in conns:
            if c["closed"] is not None:
                continue
            if poll_peer(c["s"], c["got"]):
                c["closed"] = time.monotonic() - c["at"]
                continue
            if drip:
                try:
                    c["s"].send(filler[i % len(filler):i % len(filler) + 1])
                except OSError:
                    c["closed"] = time.monotonic() - c["at"]
        if all(c["closed"] is not None for c in conns):
            break
        time.sleep(0.1)
    for c in conns:
        c["s"].close()
    by_answer = {}
    for c in conns:
        if c["closed"] is None:
            continue
        m = re.match(rb"HTTP/1\.\d (\d{3})", c["got"][0])
        key = m.group(1).decode() if m else "nothing"
        by_answer.setdefault(key, []).append(c["closed"])
    parts = []
    for key, times in sorted(by_answer.items()):
        times.sort()
        parts.append(f"{len(times)} closed with {key} (median after {times[len(times) // 2]:.1f} s, "
                     f"last after {times[-1]:.1f} s)")
    still_open = sum(1 for c in conns if c["closed"] is None)
    return "; ".join([f"{len(conns)} connected"] + parts + [f"{still_open} still open after {duration} s"])


def attack_connections(port, count=500):
    socks, served, refused, failed = [], 0, 0, 0
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            socks.append(s)
        except OSError:
            failed += 1
    for s in socks:
        try:
            s.settimeout(10)
            data = s.recv(4096)
            if data.startswith(b"HTTP/1.1 200"):
                served += 1
            elif data.startswith(b"HTTP/1.1 503") or data == b"":
                refused += 1
            else:
                failed += 1
        except OSError:
            refused += 1
    time.sleep(1)
    for s in socks:
        s.close()
    return f"{count} connections: {served} served and held open, {refused} refused (503 or closed), {failed} failed"


def tcp_state(s):
    """The kernel's TCP state of s (1: established), without reading from it."""
    try:
        return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]
    except OSError:
        return 7  # closed


def attack_slow_readers(port, count=20, duration=120):
    """Each connection asks for the 64 MiB model and never reads a byte."""
    conns = []
    for _ in range(count):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /v1/models/download/big HTTP/1.1\r\nHost: x\r\n\r\n")
        conns.append({"s": s, "at": time.monotonic(), "closed": None})
    start = time.monotonic()
    while time.monotonic() - start < duration and any(c["closed"] is None for c in conns):
        for c in conns:
            if c["closed"] is None and tcp_state(c["s"]) != 1:
                c["closed"] = time.monotonic() - c["at"]
        time.sleep(0.2)
    times = sorted(c["closed"] for c in conns if c["closed"] is not None)
    for c in conns:
        c["s"].close()
    if not times:
        return f"{count} non-reading clients: none dropped within {duration} s"
    return (f"{count} non-reading clients: {len(times)} dropped (median after {times[len(times) // 2]:.1f} s, "
            f"last after {times[-1]:.1f} s), {count - len(times)} still connected after {duration} s")


ATTACKS = {
    "body1g": ("one 1 GiB request body", lambda port: attack_bodies(port, 1)),
    "body3x1g": ("three 1 GiB request bodies at once", lambda port: attack_bodies(port, 3)),
    "headers": ("20 endless header blocks", attack_headers),
    "slowloris": ("200 slowloris connections", attack_slowloris),
    "conn500": ("500 connections", attack_connections),
    "slowread": ("20 clients that never read a 64 MiB download", attack_slow_readers),
}


def start_serve(binary, work):
    """A fresh `atmosphere serve` (the model hashes are cached in its home); (process, port)."""
    env = dict(os.environ, ATMOSPHERE_HOME=os.path.join(work, "home"))
    env.pop("ATMOSPHERE_SERVE_LIMITS", None)
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--bind", "127.0.0.1", "--no-library-defaults",
                             "--no-mdns", "--models", os.path.join(work, "models")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    for line in proc.stdout:
        m = re.search(r"on http://127\.0\.0\.1:(\d+)", line)
        if m:
            return proc, int(m.group(1))
    stop_serve(proc)
    return None, None


def stop_serve(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(here, "..", "..", "build", "bin", "atmosphere"))
    ap.add_argument("--only", default=",".join(ATTACKS))
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="attack-serve-")
    os.makedirs(os.path.join(work, "models"))
    with open(os.path.join(work, "models", "big.bin"), "wb") as f:
        f.write(os.urandom(64 * MiB))
    print(f"binary: {os.path.realpath(args.bin)}; a fresh server for each attack")
    crashes = hangs = 0
    try:
        for key in args.only.split(","):
            title, attack = ATTACKS[key]
            proc, port = start_serve(args.bin, work)
            if proc is None:
                print("serve did not start", file=sys.stderr)
                return 1
            try:
                if health(port) != 200:
                    print("serve does not answer /health", file=sys.stderr)
                    return 1
                time.sleep(1)
                idle = rss_kb(proc.pid)
                sampler = Sampler(proc.pid, port)
                sampler.start()
                t0 = time.monotonic()
                detail = attack(port)
                took = time.monotonic() - t0
                time.sleep(2)  # connections wind down
                after = health(port, timeout=10)
                sampler.stop.set()
                sampler.join()
                alive = proc.poll() is None
                crashes += 0 if alive else 1
                hangs += 1 if sampler.health_stalls > 0 or after != 200 else 0
                ratio = sampler.peak / idle if idle > 0 else 0
                print(f"{title}: RSS idle {idle} KiB, peak {sampler.peak} KiB ({ratio:.2f}x idle), {took:.1f} s; "
                      f"/health after: {after}; /health during it: {sampler.health_stalls} unanswered for 10 s, "
                      f"{sampler.health_refused} refused with 503 (same address as the attacker); "
                      f"{'alive' if alive else 'CRASHED'}\n    {detail}", flush=True)
            finally:
                stop_serve(proc)
        print(f"crashes: {crashes}, hangs: {hangs}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
