#!/usr/bin/env bash
# The station's main job on the built-in demo workspace: build a signed package
# of a mission (full and tier_1), verify it, burn it onto two "drives"
# (folders standing in for mounted USB drives) with read-back verification,
# and install it. Everything lives in build/demo/ and is made anew each run.
set -euo pipefail

build="${1:?usage: demo.sh BUILD_DIR}"
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
A="$build/bin/atmosphere"
demo="$build/demo"

rm -rf "$demo"
mkdir -p "$demo"
export ATMOSPHERE_HOME="$demo/home"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Demo workspace: $demo"
cp -r "$top/resources/demo/mission" "$demo/mission"
mkdir -p "$demo/mission/models"
# Model weights: random bytes stand in for real ones (they do not compress either).
head -c $((8 * 1024 * 1024)) /dev/urandom > "$demo/mission/models/tinyyolo-defects-1.3.onnx"
head -c $((24 * 1024 * 1024)) /dev/urandom > "$demo/mission/models/llama-edge-2.0.gguf"
find "$demo/mission" -type f | sed "s|$demo/||" | sort

step "Keys: a mesh authority key (password-protected) and a founder key"
printf 'demo-password\n' > "$demo/password"
"$A" key generate --name mesh-authority --output "$demo/keys" --password-file "$demo/password"
"$A" key generate --name founder --output "$demo/keys" --password-file "$demo/password"
"$A" trust add "$demo/keys/mesh-authority.pub" --role mesh
"$A" trust add "$demo/keys/founder.pub" --role founder

step "Build the signed package: full, and tier_1 only"
for tier in "" tier_1; do
  "$A" package create --mission "$demo/mission" --version 1.3 --output "$demo/out" \
    --sign "$demo/keys/mesh-authority.key" --password-file "$demo/password" \
    --founder-sign "$demo/keys/founder.key" --founder-password-file "$demo/password" \
    ${tier:+--tier $tier}
done

step "Verify before it goes into the field"
"$A" package verify "$demo/out/production-inspection-v1.3.atmo"

step "Burn tier_1 onto two drives at once, read back and verified"
mkdir -p "$demo/drives/usb0" "$demo/drives/usb1"
"$A" package export production-inspection-1.3 --tier tier_1 \
  --output "$demo/drives/usb0" --output "$demo/drives/usb1"

step "Install from a drive on a tier_1 device"
"$A" package import "$demo/drives/usb0/production-inspection-v1.3-tier1.atmo" --root "$demo/device" --tier tier_1
"$A" package list --root "$demo/device"

step "A tampered copy is refused"
cp "$demo/drives/usb1/production-inspection-v1.3-tier1.atmo" "$demo/tampered.atmo"
size=$(stat -c %s "$demo/tampered.atmo")
printf 'X' | dd of="$demo/tampered.atmo" bs=1 seek=$((size / 2)) conv=notrunc status=none
if "$A" package verify "$demo/tampered.atmo"; then
  echo "demo: the tampered package was not refused" >&2
  exit 1
fi

step "Done. Inspect $demo, or verify by hand without this program:"
echo "  mkdir /tmp/x && tar -xf $demo/out/production-inspection-v1.3.atmo -C /tmp/x && cd /tmp/x"
echo "  minisign -Vm manifest.yaml -p $demo/keys/mesh-authority.pub && sha256sum -c checksums.sha256"
