#!/usr/bin/env bash
# Benchmark of models through the mesh's relay (websocket_chunked: 64 KiB
# base64 chunks in JSON, at most 2 unacknowledged), on loopback, against
# tests/relay/atmo_relay.py (the mesh relay's behaviour, Python like the
# mesh's own relay). One `atmosphere serve` joined to the relay as founder
# offers a random model; a second station home joined as member pulls it.
#  (1) N rounds side by side (ratios are medians of per-round ratios):
#      (a) `model pull --via relay` against `model pull --from http://...`
#          from the same serve: what the relay costs against the LAN's direct
#          HTTP (no target: the relay is for peers that HTTP cannot reach);
#      (b) `model pull --via relay` against the mesh's own Python node
#          (tests/relay/mesh_node.py fetch: the receiving side as the mesh's
#          nodes do it, no journal, no fsync) fetching the same model from
#          the same serve through the same relay: speed ratio, target >= 0.9;
#      with chunks per second and MB/s. The serve runs --no-relay-caps: the
#      protocol's caps (5 Mbit/s to 500 MB) would measure the cap, not the code.
#  (2) a relay pull killed (SIGKILL) at ~50 % and run again: bytes fetched
#      again (target <= 2 journal chunks: the one being filled, lost with the
#      process, and one committed but not yet recorded; over the relay alone
#      the journal's chunks are 1 MiB).
#  (3) peak RSS (VmHWM) of the relay pull and of the serve after all of it
#      (target: the pull under 64 MiB whatever the model size; chunks go
#      to disk as they come).
#
# Usage: tests/bench/bench_relay.sh [--size 256M] [--repeats 3] [--build DIR] [--keep]
# ATMO_BIN=/path/to/atmosphere runs another binary (e.g. an older build).
set -euo pipefail
SIZE_ARG=256M REPEATS=3 KEEP=0
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$SRC/build-bench}
while (($#)); do
    case $1 in
    --size) SIZE_ARG=$2; shift 2 ;;
    --repeats) REPEATS=$2; shift 2 ;;
    --build) BUILD_DIR=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "bench_relay.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
BENCH=bench_relay.sh
REPO=$SRC
source "$SRC/tests/bench/lib.sh"
SIZE=$(to_bytes "$SIZE_ARG")
require_tools bc curl openssl
[[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import websockets' 2>/dev/null ||
    die "/usr/bin/python3 with python3-websockets is required (installer/setup-deps.sh)"
atmo_binary
PY=/usr/bin/python3
RELAY_PY=$SRC/tests/relay/atmo_relay.py
NODE_PY=$SRC/tests/relay/mesh_node.py
CHUNK=65536
MODEL=bench-model

make_workdir atmo-bench-relay
need_free $((SIZE * 4))
mkdir -p "$W/models" "$W/founder" "$W/member" "$W/log"
FILE=$W/models/$MODEL.gguf
say "making a $SIZE_ARG random model ..."
head -c "$SIZE" /dev/urandom >"$FILE"
SHA=$(sha256sum "$FILE" | cut -c1-64)

at() { ATMOSPHERE_HOME=$1 "$ATMO" "${@:2}"; }
json_field() { $PY -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# ---- the mesh: a relay, a founder that serves, a member that pulls ----------------
$PY -u "$RELAY_PY" --port 0 >"$W/log/relay.out" 2>"$W/log/relay.err" &
PIDS+=($!)
RPORT=$(wait_for "$W/log/relay.out" 'LISTENING [0-9]+' $! "the relay")
RELAY=ws://127.0.0.1:$RPORT
at "$W/founder" mesh create --id bench-mesh --name "Bench mesh" >/dev/null || die "mesh create failed"
member_id=$(at "$W/member" mesh identity --json | json_field node_id)
at "$W/founder" mesh token --node "$member_id" >"$W/token-member.json"
at "$W/founder" mesh register --relay "$RELAY" >/dev/null || die "mesh register failed"
at "$W/member" mesh join --relay "$RELAY" --token "$W/token-member.json" >/dev/null || die "mesh join failed"
founder_id=$(at "$W/founder" mesh identity --json | json_field node_id)
mesh_id=$(at "$W/founder" mesh identity --json | json_field mesh_id)
PYNODE=0123456789abcdef
at "$W/founder" mesh token --node "$PYNODE" >"$W/token-py.json"

ATMOSPHERE_HOME=$W/founder "$ATMO" serve --port 0 --bind 127.0.0.1 --models "$W/models" --no-library-defaults --no-mdns \
    --no-relay-caps --name bench-station >"$W/log/serve.out" 2>"$W/log/serve.err" &
SERVE_PID=$!
PIDS+=($SERVE_PID)
HPORT=$(wait_for "$W/log/serve.out" 'serving 1 model on http://127\.0\.0\.1:[0-9]+' $SERVE_PID "atmosphere serve")
HTTP=http://127.0.0.1:$HPORT
for ((i = 0; i < 300; i++)); do
    grep -q "joined mesh" "$W/log/serve.out" "$W/log/serve.err" 2>/dev/null && break
    sleep 0.1
done

sha_ext=$(grep -qw sha_ni /proc/cpuinfo && echo "with SHA extensions" || echo "no SHA extensions")
say "== models through the relay ($SIZE_ARG, $(nproc) CPUs, $sha_ext; binary $ATMO) =="

# Runs a pull with /usr/bin/time; prints "seconds peak_kib". Extra args go to model pull.
pull() { # dest args...
    local dest=$1 t0 t1
    shift
    rm -rf "$dest"
    mkdir -p "$dest"
    t0=$(now)
    ATMOSPHERE_HOME=$W/member /usr/bin/time -f '%M' -o "$W/log/pull.rss" "$ATMO" model pull "$MODEL" "$@" \
        --output "$dest" >/dev/null 2>"$W/log/pull.err" || { cat "$W/log/pull.err" >&2; die "model pull $* failed"; }
    t1=$(now)
    cmp -s "$FILE" "$dest/$MODEL.gguf" || die "pulled file differs ($*)"
    echo "$(echo "$t1 - $t0" | bc -l) $(cat "$W/log/pull.rss")"
}
pyfetch() { # prints seconds
    local t0 t1 out
    rm -f "$W/py.out"
    t0=$(now)
    out=$($PY -u "$NODE_PY" "$RELAY/relay/$mesh_id" "$W/token-py.json" "$PYNODE" fetch "$founder_id" "$MODEL" \
        "$W/py.out" 2>"$W/log/py.err") || { echo "$out" >&2; cat "$W/log/py.err" >&2; die "mesh_node.py fetch failed"; }
    t1=$(now)
    [[ $out == *"VERIFIED $SHA"* ]] || die "mesh_node.py: $out"
    echo "$t1 - $t0" | bc -l
}

# ---- (1) relay vs HTTP, relay vs the mesh's Python node ---------------------------
relay_s=() http_s=() py_s=() r1a=() r1b=() rss=()
for ((i = 0; i < REPEATS; i++)); do
    read -r r k < <(pull "$W/dest1" --via relay)
    read -r h _ < <(pull "$W/dest1" --from "$HTTP")
    p=$(pyfetch)
    relay_s+=("$r") http_s+=("$h") py_s+=("$p") rss+=("$k")
    r1a+=("$(echo "$h / $r" | bc -l)") r1b+=("$(echo "$p / $r" | bc -l)")
done
rm -rf "$W/dest1" "$W/py.out"
r=$(median "${relay_s[@]}") h=$(median "${http_s[@]}") p=$(median "${py_s[@]}")
mbs() { echo "$SIZE / $1 / 1000000" | bc -l; }
chunks=$(((SIZE + CHUNK - 1) / CHUNK))
printf '(1) medians of %d rounds: relay pull %.2f s (%.0f MB/s, %.0f chunks/s); HTTP pull %.2f s (%.0f MB/s); mesh_node.py fetch %.2f s (%.0f MB/s)\n' \
    "$REPEATS" "$r" "$(mbs "$r")" "$(echo "$chunks / $r" | bc -l)" "$h" "$(mbs "$h")" "$p" "$(mbs "$p")"
m1a=$(median "${r1a[@]}")
printf '(1a) relay pull vs HTTP pull: speed ratio %.2f (the relay path: base64, JSON, two WebSocket hops through Python)\n' "$m1a"
m1b=$(median "${r1b[@]}")
printf '(1b) relay pull vs the mesh'\''s Python node through the same relay: speed ratio %.2f (target >= 0.9): %s\n' \
    "$m1b" "$([[ $(echo "$m1b >= 0.9" | bc -l) == 1 ]] && echo PASS || echo FAIL)"

# ---- (2) kill at ~50 % and resume ------------------------------------------------------
rm -rf "$W/dest2"; mkdir -p "$W/dest2"
journal=$W/dest2/.$MODEL.gguf.journal
ATMOSPHERE_HOME=$W/member "$ATMO" model pull "$MODEL" --via relay --output "$W/dest2" >/dev/null 2>&1 &
pid=$!
jchunk=0
while kill -0 $pid 2>/dev/null; do
    if ((jchunk == 0)) && [[ -s $journal ]]; then
        jchunk=$(head -1 "$journal" | sed -n 's/^H \({.*}\) [0-9a-f]*$/\1/p' | json_field chunk_size 2>/dev/null || echo 0)
    fi
    d=$(grep -c '^D ' "$journal" 2>/dev/null || true)
    ((jchunk > 0 && ${d:-0} * jchunk >= SIZE / 2)) && break
    sleep 0.02
done
kill -KILL $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
((jchunk > 0)) || die "the relay pull ended before its journal said its chunk size"
done1=$(grep -c '^D ' "$journal" 2>/dev/null || echo 0)
json=$(ATMOSPHERE_HOME=$W/member "$ATMO" model pull "$MODEL" --via relay --output "$W/dest2" --json 2>"$W/log/resume.err") ||
    { cat "$W/log/resume.err" >&2; die "the resumed pull failed"; }
got=$(echo "$json" | json_field bytes_received)
cmp -s "$FILE" "$W/dest2/$MODEL.gguf" || die "resumed file differs"
refetch=$((got - (SIZE - done1 * jchunk)))
((refetch < 0)) && refetch=0
jchunks=$(((SIZE + jchunk - 1) / jchunk))
printf '(2) killed with %s of %s journal chunks (%s bytes each) recorded; the second run received %s bytes: fetched again %s bytes (target <= %s): %s\n' \
    "$done1" "$jchunks" "$jchunk" "$got" "$refetch" $((2 * jchunk)) "$( ((refetch <= 2 * jchunk)) && echo PASS || echo FAIL)"

# ---- (3) memory ------------------------------------------------------------------------
k=$(median "${rss[@]}")
serve_kib=$(awk '/^VmHWM:/{print $2}' "/proc/$SERVE_PID/status")
printf '(3) peak RSS: relay pull %.1f MiB (target < 64 MiB): %s; serve after all transfers %.1f MiB\n' \
    "$(echo "$k / 1024" | bc -l)" "$( ((k < 65536)) && echo PASS || echo FAIL)" "$(echo "$serve_kib / 1024" | bc -l)"
