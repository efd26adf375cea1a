#!/usr/bin/env bash
# Benchmark of the station's catalog of a Hugging Face hub cache (issue 12,
# item 7) against the mesh's Python model bridge's way of building the same
# catalog: tests/catalog_bridge_rules.py, PROTOCOL.md's rules with hashlib,
# which is what the bridge runs. The time measured is what a peer waits
# before a fresh node offers its models: for the station, from starting
# `atmosphere serve` (empty hash cache) to its "serving N models" line.
# The SHA-256 ceiling of this machine (openssl dgst over the same files, one
# core) is printed beside them, so figures compare across machines.
#
# Both catalogs are checked to be the same (ids and hashes) before timing.
# It prints ratios measured side by side, alternating, median of --repeats.
#
# Usage: tests/bench/bench_hub_catalog.sh [--size 2G] [--repeats 3] [--keep]
# Env:   ATMO_BIN=/path/to/atmosphere   use this binary instead of building
#        TMPDIR=/some/dir               work directory parent (default /var/tmp)
#
# Exit status: 0 whatever the figures (a benchmark, not a test); non-zero only
# if a command failed or the set-up was impossible.
set -Eeuo pipefail
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
BUILD_DIR="$REPO/build-bench"
PYTHON=/usr/bin/python3
RULES=$REPO/tests/catalog_bridge_rules.py

SIZE_ARG=2G
REPEATS=3
KEEP=0

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case $1 in
    --size) SIZE_ARG=${2:?--size needs a value}; shift 2 ;;
    --size=*) SIZE_ARG=${1#*=}; shift ;;
    --repeats) REPEATS=${2:?--repeats needs a value}; shift 2 ;;
    --repeats=*) REPEATS=${1#*=}; shift ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench_hub_catalog.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

BENCH=bench_hub_catalog.sh
# shellcheck source=tests/bench/lib.sh
source "$SCRIPT_DIR/lib.sh"

SIZE=$(to_bytes "$SIZE_ARG")
((SIZE >= 64 << 20)) || die "--size must be at least 64M"
[[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "--repeats must be a positive number"
[[ -x $PYTHON ]] || die "$PYTHON is required (the baseline is the bridge's rules in Python)"
[[ -f $RULES ]] || die "$RULES is missing"
require_tools openssl awk sort head date

atmo_binary
make_workdir atmo-bench-hub
need_free $((SIZE + (256 << 20)))

# ---- a hub cache: four repositories, the size split over four model files ---
HUB=$W/hub
LOG=$W/log
mkdir -p "$LOG"
QUARTER=$((SIZE / 4 / (1 << 20)))
make_model() { # repo snapshot file
    local dir=$HUB/models--$1/snapshots/$2
    mkdir -p "$dir"
    # openssl dies of SIGPIPE when head has enough: check the size instead.
    { openssl enc -aes-128-ctr -pass pass:"$3" -nosalt -pbkdf2 </dev/zero 2>/dev/null || true; } |
        head -c $((QUARTER << 20)) >"$dir/$3"
    (($(stat -c %s "$dir/$3") == QUARTER << 20)) || die "could not write $dir/$3"
}
say "== hub catalog benchmark =="
say "making a hub cache of $(human $((QUARTER * 4 << 20))) in $W ..."
make_model acme--Pallet-Detector 0a1b2c model.safetensors
make_model TheBloke--Llama-Edge-7B 9f8e7d llama-edge.Q4_K_M.gguf
make_model ultralytics--YOLOv8s 5e6f70 yolov8s.pt
make_model acme--Line-Anomaly 123456 model.onnx
mkdir -p "$HUB/models--acme--Pallet-Detector/refs" && echo 0a1b2c >"$HUB/models--acme--Pallet-Detector/refs/main"
mapfile -t FILES < <(find "$HUB" -type f -path '*/snapshots/*' | sort)

# The station with a fresh home (so an empty hash cache), the hub cache as
# its only source: no LlamaFarm API, no downloads or installed packages yet.
run_station() { # round -> LAST seconds
    local home=$W/home-$1 t0 t1 i
    rm -rf "$home"
    mkdir -p "$home/xdg"
    t0=$(date +%s.%N)
    env -u HF_HOME -u HUGGINGFACE_HUB_CACHE HF_HUB_CACHE="$HUB" ATMOSPHERE_HOME="$home" HOME="$home/xdg" \
        XDG_CACHE_HOME="$home/xdg/cache" ATMOSPHERE_LLAMAFARM_URL= \
        "$ATMO" serve --port 0 --bind 127.0.0.1 --no-mdns >"$LOG/serve-$1.out" 2>"$LOG/serve-$1.err" &
    local pid=$!
    PIDS+=("$pid")
    for ((i = 0; i < 6000; i++)); do
        if grep -qE 'serving [0-9]+ models? on' "$LOG/serve-$1.out" 2>/dev/null; then
            t1=$(date +%s.%N)
            break
        fi
        kill -0 "$pid" 2>/dev/null || { cat "$LOG/serve-$1.err" >&2; die "atmosphere serve exited"; }
        sleep 0.02
    done
    [[ -n ${t1:-} ]] || die "atmosphere serve did not start serving within 120 s"
    SERVED=$(grep -oE 'serving [0-9]+ models? on http://[0-9.]+:[0-9]+' "$LOG/serve-$1.out" | head -n 1)
    LAST=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
    kill "$pid"
    wait "$pid" 2>/dev/null || true
}
run_python() {
    local t0 t1
    t0=$(date +%s.%N)
    "$PYTHON" "$RULES" "$HUB" >"$LOG/python.json"
    t1=$(date +%s.%N)
    LAST=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
}
run_ceiling() {
    local t0 t1
    t0=$(date +%s.%N)
    openssl dgst -sha256 "${FILES[@]}" >/dev/null
    t1=$(date +%s.%N)
    LAST=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
}

# ---- untimed check: the same catalog (ids and hashes), and warm page cache ---
say "checking that both build the same catalog ..."
run_python
env -u HF_HOME -u HUGGINGFACE_HUB_CACHE HF_HUB_CACHE="$HUB" ATMOSPHERE_HOME="$W/home-check" HOME="$W/home-check" \
    ATMOSPHERE_LLAMAFARM_URL= "$ATMO" serve --port 0 --bind 127.0.0.1 --no-mdns >"$LOG/check.out" 2>"$LOG/check.err" &
CHECK_PID=$!
PIDS+=("$CHECK_PID")
for ((i = 0; i < 6000; i++)); do
    grep -qE 'serving [0-9]+ models? on' "$LOG/check.out" 2>/dev/null && break
    kill -0 "$CHECK_PID" 2>/dev/null || { cat "$LOG/check.err" >&2; die "atmosphere serve exited"; }
    sleep 0.05
done
URL=$(grep -oE 'http://[0-9.]+:[0-9]+' "$LOG/check.out" | head -n 1)
[[ -n $URL ]] || die "atmosphere serve printed no address"
curl -sS "$URL/v1/models" >"$LOG/station.json"
kill "$CHECK_PID"
wait "$CHECK_PID" 2>/dev/null || true
same=$("$PYTHON" - "$LOG/python.json" "$LOG/station.json" <<'EOF'
import json, sys
a = {(m["model_id"], m["sha256"]) for m in json.load(open(sys.argv[1]))["models"]}
b = {(m["model_id"], m["sha256"]) for m in json.load(open(sys.argv[2]))["models"]}
print("same" if a == b and len(a) == 4 else "differ: python %s station %s" % (sorted(a), sorted(b)))
EOF
)
[[ $same == same ]] || die "the catalogs differ: $same"
say "check:      both list the same 4 models with the same SHA-256"

# ---- timed rounds, order rotated ---------------------------------------------
declare -A S=([station]="" [python]="" [ceiling]="")
ORDER=(station python ceiling)
for ((r = 0; r < REPEATS; r++)); do
    for ((k = 0; k < 3; k++)); do
        name=${ORDER[$(((r + k) % 3))]}
        "run_$name" "$r"
        S[$name]+=" $LAST"
    done
done
# shellcheck disable=SC2086
{ ST=$(median ${S[station]}); PY=$(median ${S[python]}); CE=$(median ${S[ceiling]}); }
BYTES=$((QUARTER * 4 << 20))
rate() { awk -v b="$BYTES" -v s="$1" 'BEGIN{printf "%.2f GB/s", b/s/1e9}'; }
say "machine:    $(nproc) cores; files in the page cache; $REPEATS rounds, order rotated, median reported"
say "samples:    station${S[station]} | python${S[python]} | openssl${S[ceiling]} (seconds)"
printf 'catalog of %s in 4 files: station %.2f s (%s), bridge rules in python %.2f s (%s) = %.2fx as fast\n' \
    "$(human $BYTES)" "$ST" "$(rate "$ST")" "$PY" "$(rate "$PY")" "$(awk -v a="$PY" -v b="$ST" 'BEGIN{print a/b}')"
printf 'SHA-256 ceiling (openssl dgst, one core, same files): %.2f s (%s); station at %.0f%% of one core'"'"'s ceiling\n' \
    "$CE" "$(rate "$CE")" "$(awk -v a="$CE" -v b="$ST" 'BEGIN{print 100*a/b}')"
