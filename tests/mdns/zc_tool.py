#!/usr/bin/python3
"""The other side of tst_mdns: python3-zeroconf, as the mesh's Python model
bridge uses it. Runs inside the test's network namespace (`ip netns exec`),
on its loopback only.

  zc_tool.py browse --node-id ID [--timeout S]
      Browses _atmosphere._tcp.local. until a service whose TXT node_id is ID
      resolves; prints it as one JSON line (name, server, port, addresses,
      txt) and exits 0, or exits 1 after the timeout.

  zc_tool.py register --name NAME --port P [--txt key=value ...]
                      [--txt-hex HEX ...] [--no-address]
      Registers NAME._atmosphere._tcp.local. and prints "REGISTERED <name>";
      unregisters (goodbye packets) and prints "UNREGISTERED" when stdin
      says "quit" or closes.
      --txt-hex: one TXT string given as hex, sent byte for byte (any bytes,
      duplicate keys, up to 255 bytes); given at all, the TXT is exactly the
      --txt-hex strings in order and --txt is ignored.
      --no-address: registered the way the mesh's Python discovery does it,
      ServiceInfo without addresses (and without server=, so the SRV target
      is the service name): no A record is ever sent.
      stdin "add-address A": the same service, now with address A (and
      nothing else changed: no goodbye, the same name), via update_service;
      answered with "UPDATED".
"""
import argparse
import json
import socket
import sys
import threading
import time

from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf

SERVICE_TYPE = "_atmosphere._tcp.local."


def make_zeroconf():
    # Loopback only: the namespace has nothing else, and the host's real
    # interfaces must never see this traffic anyway.
    return Zeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only)


def decode(b):
    return None if b is None else b.decode("utf-8", "replace")


def browse(args):
    zc = make_zeroconf()
    names = []
    lock = threading.Lock()

    def on_change(zeroconf, service_type, name, state_change):
        if state_change in (ServiceStateChange.Added, ServiceStateChange.Updated):
            with lock:
                names.append(name)

    ServiceBrowser(zc, SERVICE_TYPE, handlers=[on_change])
    deadline = time.monotonic() + args.timeout
    seen = set()
    try:
        while time.monotonic() < deadline:
            with lock:
                pending = list(names)
                names.clear()
            for name in pending:
                info = zc.get_service_info(SERVICE_TYPE, name, timeout=2000)
                if info is None:
                    continue
                txt = {decode(k): decode(v) for k, v in info.properties.items()}
                seen.add(name)
                if txt.get("node_id") == args.node_id:
                    print(json.dumps({
                        "name": name,
                        "server": info.server,
                        "port": info.port,
                        "addresses": info.parsed_addresses(),
                        "txt": txt,
                    }), flush=True)
                    return 0
            time.sleep(0.05)
        print("no service with node_id %s; saw %s" % (args.node_id, sorted(seen)), file=sys.stderr)
        return 1
    finally:
        zc.close()


def raw_txt(hex_records):
    text = b""
    for h in hex_records:
        record = bytes.fromhex(h)
        if len(record) > 255:
            raise SystemExit("--txt-hex: a TXT string holds at most 255 bytes")
        text += bytes([len(record)]) + record
    return text


def register(args):
    props = {}
    for item in args.txt:
        key, _, value = item.partition("=")
        props[key] = value
    if args.txt_hex:
        props = raw_txt(args.txt_hex)
    zc = make_zeroconf()
    if args.no_address:
        info = ServiceInfo(SERVICE_TYPE, "%s.%s" % (args.name, SERVICE_TYPE), port=args.port, properties=props)
    else:
        info = ServiceInfo(
            SERVICE_TYPE,
            "%s.%s" % (args.name, SERVICE_TYPE),
            addresses=[socket.inet_aton("127.0.0.1")],
            port=args.port,
            properties=props,
            server="zc-bridge.local.",
        )
    zc.register_service(info)
    print("REGISTERED %s" % args.name, flush=True)
    try:
        for line in sys.stdin:
            words = line.split()
            if words == ["quit"]:
                break
            if len(words) == 2 and words[0] == "add-address":
                info.addresses = [socket.inet_aton(words[1])]
                zc.update_service(info)
                print("UPDATED", flush=True)
    finally:
        zc.unregister_service(info)
        zc.close()
        print("UNREGISTERED", flush=True)
    return 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("browse")
    b.add_argument("--node-id", required=True)
    b.add_argument("--timeout", type=float, default=10.0)
    r = sub.add_parser("register")
    r.add_argument("--name", required=True)
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--txt", action="append", default=[])
    r.add_argument("--txt-hex", action="append", default=[])
    r.add_argument("--no-address", action="store_true")
    args = parser.parse_args()
    return browse(args) if args.command == "browse" else register(args)


if __name__ == "__main__":
    sys.exit(main())
