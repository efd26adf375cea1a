#!/usr/bin/python3
"""Figures for the hostile-peer suite (not a test): runs the real CLI against
tests/mesh/hostile_peer.py once per mode and prints, per run, the exit code,
whether it crashed (killed by a signal, or exit 134/139) or hung (still
running after --hang seconds), and how long it took; then the totals and the
time to drop a trickling peer (a pull from a peer trickling its body, and
`models` against a peer trickling /health). Exits 0 unless something could
not be run at all.

usage: tests/bench/hostile_peers.py [--bin build/bin/atmosphere] [--hang 120]
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "..", "mesh", "hostile_peer.py")

RUNS = [
    ("pull", ["--mode", "status500"]), ("pull", ["--mode", "redirect302"]), ("pull", ["--mode", "notfound404"]),
    ("pull", ["--mode", "bad416"]), ("pull", ["--mode", "ignore_range"]), ("pull", ["--mode", "too_many_bytes"]),
    ("pull", ["--mode", "too_few_bytes"]), ("pull", ["--mode", "lie_size"]), ("pull", ["--mode", "lie_hash"]),
    ("pull", ["--mode", "trickle_body"]), ("pull", ["--mode", "never_finish_headers", "--on", "download"]),
    ("pull", ["--mode", "non_utf8", "--on", "download"]), ("pull", ["--mode", "trickle_json", "--on", "health"]),
    ("pull", ["--mode", "trickle_json", "--on", "catalog"]), ("pull", ["--mode", "giant_json", "--on", "catalog"]),
    ("pull", ["--mode", "nested_json", "--on", "catalog"]), ("pull", ["--mode", "non_utf8", "--on", "catalog"]),
    ("models", ["--mode", "trickle_json", "--on", "health"]), ("models", ["--mode", "never_finish_headers"]),
    ("models", ["--mode", "giant_json", "--on", "catalog"]), ("models", ["--mode", "nested_json", "--on", "catalog"]),
    ("models", ["--mode", "non_utf8", "--on", "catalog"]), ("peers", ["--mode", "trickle_json", "--on", "peers"]),
    ("peers", ["--mode", "giant_json", "--on", "peers"]), ("updates", ["--mode", "trickle_json", "--on", "packages"]),
    ("updates", ["--mode", "giant_json", "--on", "packages"]),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "build", "bin", "atmosphere"))
    ap.add_argument("--hang", type=float, default=120)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="hostile-")
    model = os.path.join(work, "hostile-model.onnx")
    with open(model, "wb") as f:
        f.write(random.randbytes(3 << 20))
    crashes = hangs = 0
    times = {}
    for i, (command, args) in enumerate(RUNS):
        peer = subprocess.Popen(["/usr/bin/python3", PEER, "--file", model] + args, stdout=subprocess.PIPE, text=True)
        port = int(peer.stdout.readline().split()[1])
        url = "http://127.0.0.1:%d" % port
        dest = os.path.join(work, "dest%d" % i)
        cli = {"pull": ["model", "pull", "hostile-model", "--from", url, "--dest", dest],
               "models": ["models", "--peer", url, "--no-mdns", "--wait", "3"],
               "peers": ["peers", "--peer", url, "--no-mdns"],
               "updates": ["package", "check-updates", "--peer", url, "--no-mdns"]}[command]
        env = dict(os.environ, ATMOSPHERE_HOME=os.path.join(work, "home"))
        start = time.monotonic()
        p = subprocess.Popen([a.bin] + cli, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        try:
            out, err = p.communicate(timeout=a.hang)
            hung = False
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            hung = True
        took = time.monotonic() - start
        peer.kill()
        peer.wait()
        crashed = not hung and (p.returncode < 0 or p.returncode in (134, 139))
        crashes += crashed
        hangs += hung
        name = command + " " + " ".join(args)
        times[name] = took
        last = [l for l in err.splitlines() if l.strip()][-1:] or [""]
        print("%-55s exit %4d %5.1f s%s%s  %s" % (name, p.returncode, took, " CRASH" if crashed else "",
                                                 " HANG" if hung else "", last[0][:150]))
    print("runs %d, crashes %d, hangs %d" % (len(RUNS), crashes, hangs))
    print("time to drop a trickling peer: pull (body) %.1f s, models (/health) %.1f s" % (
        times["pull --mode trickle_body"], times["models --mode trickle_json --on health"]))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
