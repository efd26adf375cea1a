#!/usr/bin/env bash
# Benchmark of `atmosphere package create | verify | import` against the
# plain tools a technician would otherwise use (tar, sha256sum, openssl).
#
# It prints ratios, not verdicts on absolute times: every measurement is taken
# side by side with its baseline in the same run, alternating, repeated, and
# the median kept. See tests/bench/README.md for what each line means.
#
# Usage: tests/bench/bench_package.sh [--size 1G] [--rss-sizes 1G,4G]
#                                     [--repeats 3] [--cache warm|cold]
#                                     [--no-rss] [--keep]
# Env:   ATMO_BIN=/path/to/atmosphere   use this binary instead of building
#        TMPDIR=/some/dir               work directory parent (default /var/tmp)
#
# Exit status: 0 whether targets pass or fail (this is a benchmark, not a
# test); non-zero only if a command failed or the set-up was impossible.
# shellcheck disable=SC2317  # prep_/run_/clean_ functions are called indirectly
set -Eeuo pipefail
export LC_ALL=C

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
BUILD_DIR="$REPO/build-bench"

SIZE_ARG=1G
RSS_SIZES_ARG=1G,4G
REPEATS=3
CACHE=warm
DO_RSS=1
KEEP=0

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case $1 in
    --size) SIZE_ARG=${2:?--size needs a value}; shift 2 ;;
    --size=*) SIZE_ARG=${1#*=}; shift ;;
    --rss-sizes) RSS_SIZES_ARG=${2:?--rss-sizes needs a value}; shift 2 ;;
    --rss-sizes=*) RSS_SIZES_ARG=${1#*=}; shift ;;
    --repeats) REPEATS=${2:?--repeats needs a value}; shift 2 ;;
    --repeats=*) REPEATS=${1#*=}; shift ;;
    --cache) CACHE=${2:?--cache needs warm or cold}; shift 2 ;;
    --cache=*) CACHE=${1#*=}; shift ;;
    --no-rss) DO_RSS=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench_package.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

BENCH=bench_package.sh
# shellcheck source=tests/bench/lib.sh
source "$SCRIPT_DIR/lib.sh"

SIZE=$(to_bytes "$SIZE_ARG")
((SIZE >= 64 << 20)) || die "--size must be at least 64M"
[[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "--repeats must be a positive number"
[[ $CACHE == warm || $CACHE == cold ]] || die "--cache must be warm or cold"
IFS=, read -r -a RSS_SIZES <<<"$RSS_SIZES_ARG"
for s in "${RSS_SIZES[@]}"; do to_bytes "$s" >/dev/null; done

for tool in tar sha256sum openssl awk head base64 sort df; do
    command -v "$tool" >/dev/null || die "$tool is required"
done

# ---- the binary -------------------------------------------------------------
atmo_binary

# ---- /usr/bin/time for peak RSS --------------------------------------------
TIME_BIN=/usr/bin/time
if ((DO_RSS)) && [[ ! -x $TIME_BIN ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        say "note: /usr/bin/time is missing; installing the 'time' package (apt-get install -y time) to measure peak RSS"
        DEBIAN_FRONTEND=noninteractive apt-get install -y time >/dev/null 2>&1 ||
            { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y time >/dev/null 2>&1; } ||
            die "could not install the 'time' package"
    else
        say "note: /usr/bin/time is missing and cannot be installed here (not root); peak RSS is skipped"
        DO_RSS=0
    fi
fi

# ---- work directory ---------------------------------------------------------
make_workdir atmo-bench

max_rss_size=0
if ((DO_RSS)); then
    for s in "${RSS_SIZES[@]}"; do b=$(to_bytes "$s"); ((b > max_rss_size)) && max_rss_size=$b; done
fi
# Timing: mission + package + one create output + tar output + extract/import tree.
need=$((SIZE * 4))
((max_rss_size * 3 > need)) && need=$((max_rss_size * 3))
need=$((need + (1 << 30)))
need_free "$need"

# ---- cache policy -----------------------------------------------------------
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }
if [[ $CACHE == cold ]]; then
    (drop_caches) 2>/dev/null || die "--cache cold needs a writable /proc/sys/vm/drop_caches (run as root, outside a read-only /proc)"
fi

# ---- the mission ------------------------------------------------------------
# A mission of TOTAL bytes: ~98% in eight random (incompressible) model files
# of different sizes, the rest in ~400 small config/agent/tool YAML files and
# knowledge JSONL files.
make_mission() {
    local dir=$1 total=$2 small i n
    rm -rf "$dir"
    mkdir -p "$dir"/{config,models,agents,tools,knowledge}
    small=$((total / 50))
    ((small > 64 << 20)) && small=$((64 << 20))
    local models=$((total - small))
    cat >"$dir/config/mission.yaml" <<'EOF'
id: bench-mission
name: Benchmark mission
tiers: [1, 2]
models:
  weights-1.0.gguf: {tiers: [2]}
  vision-2.1.onnx: {tiers: [1, 2]}
  embed-0.3.bin: {tiers: [1, 2]}
EOF
    cat >"$dir/config/llamafarm.yaml" <<'EOF'
version: v1
runtime: {provider: llamafarm, threads: 4}
prompts: {system: "You are an inspection assistant."}
EOF
    for i in 1 2 3; do
        printf 'name: extra-%d\nsettings:\n  retries: %d\n  timeout_s: 30\n' "$i" "$i" >"$dir/config/extra$i.yaml"
    done
    # Models: 1/2, 1/4, 1/8, 1/16, and four more sharing the remaining 1/16.
    local -a names=(weights-1.0.gguf vision-2.1.onnx embed-0.3.bin speech-1.2.tflite
        adapter-a-1.0.safetensors adapter-b-1.0.safetensors adapter-c-1.1.safetensors adapter-d-2.0.safetensors)
    local -a sizes=($((models / 2)) $((models / 4)) $((models / 8)) $((models / 16)))
    local rest=$((models - sizes[0] - sizes[1] - sizes[2] - sizes[3]))
    sizes+=($((rest / 4)) $((rest / 4)) $((rest / 4)) $((rest - 3 * (rest / 4))))
    for i in "${!names[@]}"; do
        head -c "${sizes[i]}" /dev/urandom >"$dir/models/${names[i]}"
    done
    # 150 agents, 150 tools: small YAML files.
    for ((i = 1; i <= 150; i++)); do
        printf 'id: agent-%03d\nversion: "1.%d"\ndescription: benchmark agent %d\nmodel: weights\ntools: [tool-%03d, tool-%03d]\nprompt: |\n  Inspect the part and report defects in at most %d words.\n' \
            "$i" "$((i % 10))" "$i" "$i" "$(((i % 150) + 1))" "$((20 + i))" >"$dir/agents/agent-$(printf %03d "$i")-1.$((i % 10)).yaml"
        printf 'id: tool-%03d\nversion: "2.0"\nkind: http\nendpoint: http://127.0.0.1:%d/run\nparameters:\n  - {name: input, type: string}\n  - {name: limit, type: integer, default: %d}\n' \
            "$i" "$((8000 + i))" "$i" >"$dir/tools/tool-$(printf %03d "$i")-2.0.yaml"
    done
    # 100 knowledge files sharing the rest of the small budget.
    local used per
    used=$(du -sb "$dir/config" "$dir/agents" "$dir/tools" | awk '{s+=$1} END{print s}')
    per=$(((small - used) / 100))
    ((per < 4096)) && per=4096
    for ((i = 1; i <= 100; i++)); do
        head -c $((per * 3 / 4)) /dev/urandom | base64 -w 700 |
            awk -v d="domain$i" '{printf "{\"id\":\"%s-%d\",\"text\":\"%s\"}\n", d, NR, $0}' \
                >"$dir/knowledge/domain$(printf %03d "$i").chunks.jsonl"
    done
    sync
}

count_files() { find "$1" -type f | wc -l; }

# ---- keys and trust ---------------------------------------------------------
H=$W/home
mkdir -p "$H" "$W/keys" "$W/log"
LOG=$W/log
PW=$W/password
printf 'bench-password-%s\n' "$RANDOM$RANDOM" >"$PW"
atmo() { ATMOSPHERE_HOME=$H "$ATMO" "$@"; }
atmo key generate --name mesh --output "$W/keys" --password-file "$PW" >"$LOG/keygen.out" 2>&1 ||
    { cat "$LOG/keygen.out" >&2; die "key generate failed"; }
atmo trust add "$W/keys/mesh.pub" --role mesh >"$LOG/trust.out" 2>&1 ||
    { cat "$LOG/trust.out" >&2; die "trust add failed"; }
KEY=$W/keys/mesh.key

SRC=$W/mission
OUT=$W/out            # package create output directory (timed runs)
PKG_DIR=$W/pkg
PKG=$PKG_DIR/bench-mission-v1.0.atmo
TIER=2                # tier 2 holds every file: both sides handle the same bytes

# ---- timing machinery -------------------------------------------------------
# Each benchmark NAME has prep_NAME (untimed), run_NAME (timed) and
# clean_NAME (untimed). Before every timed run: sync (no dirty pages from an
# earlier run are written back during this one) and, with --cache cold, drop
# the page cache.
prep_create() { rm -rf "$OUT"; mkdir -p "$OUT"; }
run_create() { atmo package create --mission "$SRC" --version 1.0 --output "$OUT" --sign "$KEY" --password-file "$PW"; }
clean_create() { rm -rf "$OUT"; }

prep_shatar() { rm -f "$W/baseline.tar" "$W/sources.sha256"; }
run_shatar() {
    (cd "$SRC" && sha256sum config/* models/* agents/* tools/* knowledge/* >"$W/sources.sha256") &&
        tar --format=pax -cf "$W/baseline.tar" -C "$SRC" config models agents tools knowledge
}
clean_shatar() { rm -f "$W/baseline.tar" "$W/sources.sha256"; }

# Not a target, for context: the same with the archive flushed to the device,
# as create does (it fsyncs the package before renaming it into place).
prep_shatarsync() { prep_shatar; }
run_shatarsync() { run_shatar && sync "$W/baseline.tar"; }
clean_shatarsync() { clean_shatar; }

prep_verify() { :; }
run_verify() { atmo package verify "$PKG" --tier "$TIER"; }
clean_verify() { :; }

IMPORT_ROOT=$W/root
prep_import() { rm -rf "$IMPORT_ROOT"; mkdir -p "$IMPORT_ROOT"; }
run_import() { atmo package import "$PKG" --root "$IMPORT_ROOT" --tier "$TIER" --allow-downgrade; }
clean_import() { rm -rf "$IMPORT_ROOT"; }

EXTRACT=$W/extract
prep_tarsha() { rm -rf "$EXTRACT"; mkdir -p "$EXTRACT"; }
run_tarsha() { tar -xf "$PKG" -C "$EXTRACT" && (cd "$EXTRACT" && sha256sum --quiet --strict -c checksums.sha256); }
clean_tarsha() { rm -rf "$EXTRACT"; }

# Not a target, for context: the same with the extracted data flushed to the
# device, as import does (it fsyncs every file before the atomic rename).
prep_tarshasync() { prep_tarsha; }
run_tarshasync() { run_tarsha && sync -f "$EXTRACT"; }
clean_tarshasync() { clean_tarsha; }

prep_openssl() { :; }
run_openssl() { openssl dgst -sha256 "$PKG"; }
clean_openssl() { :; }

declare -A LABEL=(
    [create]="atmosphere package create"
    [shatar]="sha256sum sources + tar -cf"
    [shatarsync]="sha256sum sources + tar -cf + sync"
    [verify]="atmosphere package verify"
    [import]="atmosphere package import"
    [tarsha]="tar -xf + sha256sum -c"
    [tarshasync]="tar -xf + sha256sum -c + sync"
    [openssl]="openssl dgst -sha256"
)
declare -A SAMPLES MEDIAN CPU_SAMPLES CPU_MEDIAN

LAST=0 LAST_CPU=0
TIMEFORMAT='%3R %3U %3S'   # bash's `time`: wall, user and system seconds (children included)
run_once() { # NAME -> sets LAST to the wall seconds it took, LAST_CPU to its CPU seconds
    local name=$1
    "prep_$name"
    sync
    if [[ $CACHE == cold ]]; then drop_caches; fi
    if ! { time "run_$name" >"$LOG/$name.out" 2>"$LOG/$name.err"; } 2>"$LOG/$name.time"; then
        echo "--- ${LABEL[$name]} failed; its stderr:" >&2
        tail -n 20 "$LOG/$name.err" >&2
        die "${LABEL[$name]} failed"
    fi
    "clean_$name"
    read -r LAST LAST_CPU < <(awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$LOG/$name.time")
}


# Runs a group of benchmarks side by side: (warm-up once each, when the cache
# policy is warm), then REPEATS rounds, rotating the order every round so no
# command always runs first or right after the same neighbour.
measure_group() {
    local -a names=("$@")
    local n=${#names[@]} r k name
    if [[ $CACHE == warm ]]; then
        for name in "${names[@]}"; do run_once "$name"; done
    fi
    for ((r = 0; r < REPEATS; r++)); do
        for ((k = 0; k < n; k++)); do
            name=${names[(k + r) % n]}
            run_once "$name"
            SAMPLES[$name]+="$LAST "
            CPU_SAMPLES[$name]+="$LAST_CPU "
        done
    done
    for name in "${names[@]}"; do
        # shellcheck disable=SC2086
        MEDIAN[$name]=$(median ${SAMPLES[$name]})
        # shellcheck disable=SC2086
        CPU_MEDIAN[$name]=$(median ${CPU_SAMPLES[$name]})
    done
}

# ---- report helpers ---------------------------------------------------------
RESULTS=()
verdict() { if awk "BEGIN{exit !($1)}"; then echo PASS; else echo FAIL; fi; }

# "faster" line: baseline/ours >= target
line_faster() { # title ours base target
    local a=${MEDIAN[$2]} b=${MEDIAN[$3]} x
    x=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", b / a}')
    RESULTS+=("$(printf '%s: %.2f s vs %.2f s = %.1fx faster (target >= %sx) %s' "$1" "$a" "$b" "$x" "$4" \
        "$(verdict "$x >= $4")")")
}
# "time ratio" line: ours/baseline <= target
line_ratio() { # title ours base target
    local a=${MEDIAN[$2]} b=${MEDIAN[$3]} x
    x=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a / b}')
    RESULTS+=("$(printf '%s: %.2f s vs %.2f s = %.2fx the time (target <= %sx) %s' "$1" "$a" "$b" "$x" "$4" \
        "$(verdict "$x <= $4")")")
}
line_info() { # title ours base
    local a=${MEDIAN[$2]} b=${MEDIAN[$3]} x
    x=$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a / b}')
    RESULTS+=("$(printf '%s: %.2f s vs %.2f s = %.2fx the time (info, no target)' "$1" "$a" "$b" "$x")")
}

# ---- header -----------------------------------------------------------------
load_warning() {
    awk -v n="$(nproc)" '{ if ($1 > n) printf " -- busier than its %d cores: ratios are still comparable, absolute times are not", n }' /proc/loadavg
}
say "== atmosphere package benchmark =="
say "date:       $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "host:       $(uname -srm), $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
say "memory:     $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
say "work dir:   $W ($(df -PT "$W" | awk 'NR==2{print $2" on "$1}'))"
say "binary:     $ATMO"
say "tools:      $(tar --version | head -1); $(sha256sum --version | head -1); $(openssl version)"
if [[ $CACHE == warm ]]; then
    say "cache:      warm for every command: each one runs once untimed before the timed rounds, so both"
    say "            sides read their inputs from the page cache; 'sync' (untimed) before every timed run"
else
    say "cache:      cold for every command: 'sync; echo 3 > /proc/sys/vm/drop_caches' (untimed) before every timed run"
fi
say "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at start$(load_warning)"
say "method:     $REPEATS timed rounds, order rotated each round, median reported; tier $TIER (all files)"
say ""

# ---- timing -----------------------------------------------------------------
say "building a $(human "$SIZE") mission in $SRC ..."
make_mission "$SRC" "$SIZE"
say "mission:    $(count_files "$SRC") files, $(human "$(du -sb "$SRC" | awk '{print $1}')") ($(count_files "$SRC/models") models, largest $(human "$(stat -c %s "$SRC/models/weights-1.0.gguf")"))"

mkdir -p "$PKG_DIR"
atmo package create --mission "$SRC" --version 1.0 --output "$PKG_DIR" --sign "$KEY" --password-file "$PW" \
    >"$LOG/pkg.out" 2>&1 || { cat "$LOG/pkg.out" >&2; die "package create failed"; }
[[ -f $PKG ]] || die "package create did not write $PKG"
sync
say "package:    $PKG ($(human "$(stat -c %s "$PKG")"))"
say ""

say "timing create vs sha256sum+tar -cf ..."
measure_group create shatar shatarsync
say "timing verify, import, tar -xf+sha256sum -c, openssl dgst ..."
measure_group verify import tarsha openssl tarshasync

line_faster "verify vs tar+sha256sum" verify tarsha 3
line_ratio "verify vs openssl dgst" verify openssl 1.3
line_ratio "import vs tar+sha256sum" import tarsha 0.5
line_ratio "create vs sha256sum+tar" create shatar 0.6
line_info "import vs tar+sha256sum+sync" import tarshasync
line_info "create vs sha256sum+tar+sync" create shatarsync

say ""
say "samples, one per round: wall seconds (median), then CPU seconds user+sys (median; info: CPU time"
say "is less disturbed by other load than wall time, but parallel work spends more of it):"
for name in create shatar shatarsync verify import tarsha openssl tarshasync; do
    printf '  %-36s wall %s(%s)  cpu %s(%s)\n' "${LABEL[$name]}" "${SAMPLES[$name]}" "${MEDIAN[$name]}" \
        "${CPU_SAMPLES[$name]}" "${CPU_MEDIAN[$name]}"
done

# ---- peak RSS ---------------------------------------------------------------
declare -A RSS
kib_mib() { awk -v k="$1" 'BEGIN{printf "%.1f MiB", k/1024}'; }
rss_of() { # NAME SIZE_LABEL: one run of run_NAME's atmosphere command under /usr/bin/time
    local name=$1 label=$2 f=$LOG/rss.$1.$2
    local -a cmd
    case $name in
    create) cmd=(package create --mission "$SRC" --version 1.0 --output "$OUT" --sign "$KEY" --password-file "$PW") ;;
    verify) cmd=(package verify "$PKG" --tier "$TIER") ;;
    import) cmd=(package import "$PKG" --root "$IMPORT_ROOT" --tier "$TIER" --allow-downgrade) ;;
    esac
    "prep_$name"
    sync
    if ! ATMOSPHERE_HOME=$H "$TIME_BIN" -f %M -o "$f" "$ATMO" "${cmd[@]}" >"$LOG/$name.out" 2>"$LOG/$name.err"; then
        tail -n 20 "$LOG/$name.err" >&2
        die "${LABEL[$name]} failed (at $label)"
    fi
    "clean_$name"
    RSS[$name.$label]=$(tail -n 1 "$f")
}
if ((DO_RSS)); then
    say ""
    say "peak RSS (/usr/bin/time -f %M; one run each, warm cache):"
    current_size=$SIZE
    for label in "${RSS_SIZES[@]}"; do
        b=$(to_bytes "$label")
        if ((b != current_size)); then
            say "  building a $(human "$b") mission ..."
            rm -rf "$PKG_DIR" "$SRC"
            make_mission "$SRC" "$b"
            current_size=$b
            mkdir -p "$PKG_DIR"
            atmo package create --mission "$SRC" --version 1.0 --output "$PKG_DIR" --sign "$KEY" \
                --password-file "$PW" >"$LOG/pkg.out" 2>&1 || { cat "$LOG/pkg.out" >&2; die "package create failed"; }
            sync
        fi
        for name in create verify import; do rss_of "$name" "$label"; done
        say "  at $label: create $(kib_mib "${RSS[create.$label]}"), verify $(kib_mib "${RSS[verify.$label]}"), import $(kib_mib "${RSS[import.$label]}")"
    done
    first=${RSS_SIZES[0]} last=${RSS_SIZES[-1]}
    for name in create verify import; do
        worst=0 parts=()
        for label in "${RSS_SIZES[@]}"; do
            k=${RSS[$name.$label]}
            ((k > worst)) && worst=$k
            parts+=("$(kib_mib "$k") at $label")
        done
        a=${RSS[$name.$first]} z=${RSS[$name.$last]}
        # Flat: the largest size uses at most 10% (and at least 4 MiB of slack) more than the smallest.
        ok=$(verdict "$worst <= 65536 && $z <= $a + ($a / 10 > 4096 ? $a / 10 : 4096)")
        joined=$(printf '%s, ' "${parts[@]}")
        RESULTS+=("$(printf '%s peak RSS: %s (target <= 64 MiB, not growing with size) %s' "$name" "${joined%, }" "$ok")")
    done
fi

say ""
say "load:       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at the end$(load_warning)"
say ""
say "== results ($(human "$SIZE") mission, medians of $REPEATS, cache $CACHE) =="
for l in "${RESULTS[@]}"; do say "$l"; done
exit 0
