#!/usr/bin/python3
"""Join tokens, node ids and invites made the way the mesh's Python side
makes them (PROTOCOL.md "The relay"), with python3-nacl and json, written
from the protocol's text: tests/tst_join_token.cpp and tst_invite.cpp compare
the station's results with these.

  nodeid SEED_HEX                  -> {"public_key": b64, "node_id": 16 hex}
  canonical < token.json           -> the canonical bytes the signature covers
  verify MESH_PK_B64 < token.json  -> exit 0 when the signature verifies
  issue SEED_HEX < fields.json     -> the token, signed (fields: the seven;
                                      "ensure_ascii": false signs the UTF-8 form)
  invite-link < invite.json        -> atmosphere://join?invite=<base64url, no padding>
"""
import base64
import hashlib
import json
import sys

import nacl.exceptions
import nacl.signing

FIELDS = ("mesh_id", "node_id", "issued_at", "expires_at", "capabilities", "issuer_id", "nonce")


def canonical(token, ensure_ascii=True):
    data = {k: token.get(k) for k in FIELDS}
    data["capabilities"] = sorted(data["capabilities"])
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=ensure_ascii).encode("utf-8")


def main():
    cmd = sys.argv[1]
    if cmd == "nodeid":
        key = nacl.signing.SigningKey(bytes.fromhex(sys.argv[2]))
        pk = bytes(key.verify_key)
        print(json.dumps({"public_key": base64.b64encode(pk).decode(),
                          "node_id": hashlib.sha256(pk).hexdigest()[:16]}))
    elif cmd == "canonical":
        sys.stdout.buffer.write(canonical(json.load(sys.stdin)))
    elif cmd == "verify":
        token = json.load(sys.stdin)
        vk = nacl.signing.VerifyKey(base64.b64decode(sys.argv[2]))
        try:
            vk.verify(canonical(token), base64.b64decode(token["signature"]))
        except nacl.exceptions.BadSignatureError:
            print("bad signature")
            return 1
        print("ok")
    elif cmd == "issue":
        fields = json.load(sys.stdin)
        ensure_ascii = fields.pop("ensure_ascii", True)
        key = nacl.signing.SigningKey(bytes.fromhex(sys.argv[2]))
        token = {k: fields.get(k) for k in FIELDS}
        token["signature"] = base64.b64encode(key.sign(canonical(token, ensure_ascii)).signature).decode()
        print(json.dumps(token))
    elif cmd == "invite-link":
        invite = json.load(sys.stdin)
        text = base64.urlsafe_b64encode(json.dumps(invite, separators=(",", ":")).encode()).rstrip(b"=")
        print("atmosphere://join?invite=" + text.decode())
    else:
        print("unknown command " + cmd, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
