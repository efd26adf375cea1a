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

  zc_tool.py flood --prefix P --count N --port-base B [--txt key=value ...]
      Registers N services P-0 ... P-(N-1), all at once from this one
      process, each with address 127.0.0.1, port B+i and the --txt records
      (a hostile or broken host on the LAN). No probing (cooperating
      responders), so N names take seconds, not N times the probe time.
      Prints "REGISTERED <N>" once all are announced; stdin "quit" or its
      end unregisters them all ("UNREGISTERED").
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


def flood(args):
    import asyncio
    from zeroconf.asyncio import AsyncZeroconf

    props = {}
    for item in args.txt:
        key, _, value = item.partition("=")
        props[key] = value
    infos = [
        ServiceInfo(
            SERVICE_TYPE,
            "%s-%d.%s" % (args.prefix, i, SERVICE_TYPE),
            addresses=[socket.inet_aton("127.0.0.1")],
            port=args.port_base + i,
            properties=props,
            server="zc-flood.local.",
        )
        for i in range(args.count)
    ]

    async def run():
        azc = AsyncZeroconf(interfaces=["127.0.0.1"], ip_version=IPVersion.V4Only)
        tasks = [await azc.async_register_service(info, cooperating_responders=True) for info in infos]
        await asyncio.gather(*tasks)
        print("REGISTERED %d" % len(infos), flush=True)
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line or line.strip() == "quit":
                break
        await azc.async_unregister_all_services()
        await azc.async_close()
        print("UNREGISTERED", flush=True)

    asyncio.run(run())
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
    f = sub.add_parser("flood")
    f.add_argument("--prefix", required=True)
    f.add_argument("--count", type=int, required=True)
    f.add_argument("--port-base", type=int, required=True)
    f.add_argument("--txt", action="append", default=[])
    args = parser.parse_args()
    return {"browse": browse, "register": register, "flood": flood}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
