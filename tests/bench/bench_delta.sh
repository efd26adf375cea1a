#!/usr/bin/env bash
# Benchmark of delta updates (issue 15): core/delta's createDelta and
# applyDelta (through tests/bench/bench_delta.cpp) against xdelta3 and
# `zstd --patch-from` on the same pairs of files, side by side in one run.
#
# For each size (MiB) a model pair: a random base and a target with ~5 % of
# the bytes overwritten in scattered 4 KiB..256 KiB regions and a 16 MiB
# block inserted at ~1 % of the file (everything after it shifted). Measured
# with /usr/bin/time (wall seconds, peak RSS):
#  - ours: create, apply (base check on, output fsynced), the delta's size
#    and delta ÷ changed bytes (target <= 1.2), apply against `cp` of the
#    target (a full import's copy) and against `sha256sum` of it;
#  - `xdelta3 -e/-d -s BASE` at every size, killed after --xdelta-timeout
#    (then "did not finish"); `zstd --patch-from=BASE --long=31` up to 2 GiB
#    (its window cannot reach further);
#  - every rebuilt file compared with the target (cmp);
#  - ratios side by side: delta sizes, create and apply times, peak RSS
#    (target for ours: <= 256 MiB at every size, and flat).
# Then a JSONL knowledge file (100,000 records; 47 added, 12 removed, 89
# updated): our Records delta against the changed records' bytes and
# against xdelta3 (and zstd) on the same pair.
# The SHA-256 ceiling of this machine (atmo::sha256FileHex over the target,
# MB/s) is printed with the figures so runs compare across machines. Read
# the ratios, not the absolute seconds. Like the other benchmarks it exits 0
# whatever the figures, non-zero only when something could not run or a
# rebuilt file differs from its target.
#
# Usage: tests/bench/bench_delta.sh [--sizes "1024 5120"] [--quick] [--keep DIR]
#                                   [--xdelta-timeout SECONDS] [--seed N] [--build DIR]
#   --quick   sizes "256" only (a smoke run, ~1 min)
#   --keep DIR  make the fixtures in DIR and leave them there
# Fixtures go to a fresh directory under $BENCH_DELTA_DIR (default
# /work/bench-delta), removed at the end. Needs about 3.1x the largest size
# free there, GNU time, zstd, and xdelta3 (installed with apt-get when
# missing and running as root).
set -euo pipefail
SIZES="1024 5120" KEEP=0 KEEP_DIR="" XD_TIMEOUT=900 SEED=15
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$SRC/build-bench}
PARENT=${BENCH_DELTA_DIR:-/work/bench-delta}
while (($#)); do
    case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --quick) SIZES=256; shift ;;
    --keep) KEEP=1 KEEP_DIR=$2; shift 2 ;;
    --xdelta-timeout) XD_TIMEOUT=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --build) BUILD_DIR=$2; shift 2 ;;
    *) echo "bench_delta.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
BENCH=bench_delta.sh
REPO=$SRC
source "$SRC/tests/bench/lib.sh"
for s in $SIZES; do [[ $s =~ ^[0-9]+$ ]] && ((s >= 32)) || die "--sizes takes sizes in MiB, each at least 32: $s"; done
require_tools cmake ninja cmp cp sha256sum zstd timeout awk bc
[[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is required (apt-get install -y time)"
if ! command -v xdelta3 >/dev/null; then
    ((EUID == 0)) || die "xdelta3 is required (apt-get install -y xdelta3)"
    say "installing xdelta3 (apt-get install -y xdelta3)"
    { apt-get install -y xdelta3 || { apt-get update && apt-get install -y xdelta3; }; } >/dev/null 2>&1 ||
        die "apt-get install -y xdelta3 failed"
fi

# ---- build: bench_delta in the Release tree (it is a test-tree target) ---------------
if [[ ! -f $BUILD_DIR/build.ninja ]]; then
    say "configuring a Release build in $BUILD_DIR"
    cmake -S "$REPO" -B "$BUILD_DIR" -G Ninja -DATMO_BUILD_GUI=OFF -DATMO_BUILD_TESTS=ON \
        -DCMAKE_BUILD_TYPE=Release >"$REPO/build-bench.configure.log" 2>&1 ||
        { tail -n 30 "$REPO/build-bench.configure.log" >&2; die "cmake configure failed"; }
    rm -f "$REPO/build-bench.configure.log"
fi
bt=$(awk -F= '/^CMAKE_BUILD_TYPE:/{print $2}' "$BUILD_DIR/CMakeCache.txt")
[[ $bt == Release ]] || die "$BUILD_DIR is a '$bt' build, not Release; remove it or pass --build"
if ! ninja -C "$BUILD_DIR" -t targets all 2>/dev/null | grep -q '^bench_delta:'; then
    # The tree was configured without the tests (bench_package.sh's way):
    # turn them on, everything else as it was; only bench_delta is built.
    say "enabling ATMO_BUILD_TESTS in $BUILD_DIR (for the bench_delta target)"
    cmake -S "$REPO" -B "$BUILD_DIR" -DATMO_BUILD_TESTS=ON >"$BUILD_DIR/bench-delta-configure.log" 2>&1 ||
        { tail -n 30 "$BUILD_DIR/bench-delta-configure.log" >&2; die "cmake configure failed"; }
fi
say "building bench_delta (Release) in $BUILD_DIR"
ninja -C "$BUILD_DIR" bench_delta >"$BUILD_DIR/bench-delta-build.log" 2>&1 ||
    { tail -n 30 "$BUILD_DIR/bench-delta-build.log" >&2; die "build failed (see $BUILD_DIR/bench-delta-build.log)"; }
BD=$BUILD_DIR/bin/bench_delta
[[ -x $BD ]] || die "no binary at $BD after the build"

# ---- work directory --------------------------------------------------------------------
PIDS=()
if [[ -n $KEEP_DIR ]]; then
    mkdir -p "$KEEP_DIR"
    W=$(cd "$KEEP_DIR" && pwd)
else
    mkdir -p "$PARENT"
    W=$(mktemp -d "$PARENT/run.XXXXXX")
fi
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$W/log"
largest=0
for s in $SIZES; do ((s > largest)) && largest=$s; done
need_free $(((largest << 20) * 31 / 10 + (1 << 30)))

json_num() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$2"; }
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }     # KiB -> MiB
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
sec() { awk -v s="$1" 'BEGIN{printf "%.2f", s}'; }

# timed NAME TIMEOUT CMD...: an untimed sync, then CMD under /usr/bin/time
# (and `timeout` when TIMEOUT > 0). Sets T_S (wall seconds), T_K (peak RSS
# KiB of CMD and its children) and T_RC (124: timed out). stdout in
# $W/log/NAME.out, stderr in $W/log/NAME.err.
timed() {
    local name=$1 limit=$2
    shift 2
    sync
    T_RC=0
    if ((limit > 0)); then
        /usr/bin/time -f '%e %M' -o "$W/log/$name.time" timeout -k 30 "$limit" "$@" \
            >"$W/log/$name.out" 2>"$W/log/$name.err" || T_RC=$?
    else
        /usr/bin/time -f '%e %M' -o "$W/log/$name.time" "$@" >"$W/log/$name.out" 2>"$W/log/$name.err" || T_RC=$?
    fi
    read -r T_S T_K < <(tail -n 1 "$W/log/$name.time")
}
# Dies showing the command's stderr unless the last timed() succeeded.
must() { ((T_RC == 0)) || { cat "$W/log/$1.err" >&2; die "$1 failed (exit $T_RC)"; }; }
same() { # rebuilt target what
    cmp -s "$1" "$2" || { BAD+=("$3"); say "  !! $3: the rebuilt file differs from the target (cmp)"; return 1; }
}
fsize() { stat -c %s "$1"; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
sha_ext=$(grep -qw sha_ni /proc/cpuinfo && echo "SHA extensions" || echo "no SHA extensions")
say "== delta updates: sizes (MiB) $SIZES; $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $sha_ext =="
say "   $(xdelta3 -V 2>&1 | head -n1 | cut -d, -f1); $(zstd -V | sed 's/^\*\*\* //; s/, by.*//'); load average at start $load_start"
say "   work directory $W; xdelta3 timeout ${XD_TIMEOUT}s; seed $SEED"

BAD=()
declare -A R # results: R[key] for the tables

# One pair of files, every tool. run_pair TAG BASE TARGET CHANGED [--records]
run_pair() {
    local tag=$1 base=$2 target=$3 changed=$4 rec=${5:-} out=$W/rebuilt
    # Ours.
    timed "$tag.create" 0 "$BD" create "$base" "$target" "$W/$tag.delta" $rec; must "$tag.create"
    local stats
    stats=$(cat "$W/log/$tag.create.out")
    R[$tag.ours.size]=$(json_num delta_bytes "$stats")
    R[$tag.ours.cs]=$T_S R[$tag.ours.ck]=$T_K
    R[$tag.ours.ops]="$(json_num copy_ops "$stats") COPY / $(json_num data_ops "$stats") DATA, $(json_num new_bytes "$stats") new bytes"
    timed "$tag.apply" 0 "$BD" apply "$base" "$W/$tag.delta" "$out"; must "$tag.apply"
    R[$tag.ours.as]=$T_S R[$tag.ours.ak]=$T_K R[$tag.ours.ok]=same
    same "$out" "$target" "$tag ours" || R[$tag.ours.ok]=DIFFERS
    rm -f "$out"
    say "  ours:    delta $(human "${R[$tag.ours.size]}") (${R[$tag.ours.size]} bytes; ${R[$tag.ours.ops]}), create $(sec "${R[$tag.ours.cs]}") s / $(mib "${R[$tag.ours.ck]}") MiB, apply $(sec "${R[$tag.ours.as]}") s / $(mib "${R[$tag.ours.ak]}") MiB, rebuilt ${R[$tag.ours.ok]}"

    # xdelta3 at every size, with a time limit.
    timed "$tag.xd-e" "$XD_TIMEOUT" xdelta3 -e -s "$base" "$target" "$W/$tag.xd"
    if ((T_RC == 124 || T_RC == 137)); then
        R[$tag.xd.size]=DNF R[$tag.xd.ok]="did not finish (create > ${XD_TIMEOUT}s)"
        rm -f "$W/$tag.xd"
        say "  xdelta3: did not finish creating in ${XD_TIMEOUT}s"
    else
        must "$tag.xd-e"
        R[$tag.xd.size]=$(fsize "$W/$tag.xd") R[$tag.xd.cs]=$T_S R[$tag.xd.ck]=$T_K
        timed "$tag.xd-d" "$XD_TIMEOUT" xdelta3 -d -s "$base" "$W/$tag.xd" "$out"
        if ((T_RC == 124 || T_RC == 137)); then
            R[$tag.xd.ok]="did not finish (apply > ${XD_TIMEOUT}s)"
        else
            must "$tag.xd-d"
            R[$tag.xd.as]=$T_S R[$tag.xd.ak]=$T_K R[$tag.xd.ok]=same
            same "$out" "$target" "$tag xdelta3" || R[$tag.xd.ok]=DIFFERS
        fi
        rm -f "$out" "$W/$tag.xd"
        say "  xdelta3: delta $(human "${R[$tag.xd.size]}") (${R[$tag.xd.size]} bytes), create $(sec "${R[$tag.xd.cs]}") s / $(mib "${R[$tag.xd.ck]}") MiB, apply $(sec "${R[$tag.xd.as]:-0}") s / $(mib "${R[$tag.xd.ak]:-0}") MiB, rebuilt ${R[$tag.xd.ok]}"
    fi

    # zstd --patch-from: its window holds the whole base, 2 GiB at most.
    if (($(fsize "$base") > (2 << 30))); then
        R[$tag.zs.size]=n/a R[$tag.zs.ok]="not run (base > 2 GiB, beyond --long=31)"
        say "  zstd:    not run (base > 2 GiB: --patch-from cannot reach further)"
    else
        timed "$tag.zs-e" 0 zstd -q -f --patch-from="$base" --long=31 "$target" -o "$W/$tag.zst"; must "$tag.zs-e"
        R[$tag.zs.size]=$(fsize "$W/$tag.zst") R[$tag.zs.cs]=$T_S R[$tag.zs.ck]=$T_K
        timed "$tag.zs-d" 0 zstd -q -f -d --patch-from="$base" --long=31 "$W/$tag.zst" -o "$out"; must "$tag.zs-d"
        R[$tag.zs.as]=$T_S R[$tag.zs.ak]=$T_K R[$tag.zs.ok]=same
        same "$out" "$target" "$tag zstd" || R[$tag.zs.ok]=DIFFERS
        rm -f "$out" "$W/$tag.zst"
        say "  zstd:    delta $(human "${R[$tag.zs.size]}") (${R[$tag.zs.size]} bytes), create $(sec "${R[$tag.zs.cs]}") s / $(mib "${R[$tag.zs.ck]}") MiB, apply $(sec "${R[$tag.zs.as]}") s / $(mib "${R[$tag.zs.ak]}") MiB, rebuilt ${R[$tag.zs.ok]}"
    fi
    R[$tag.changed]=$changed
    R[$tag.dr]=$(ratio "${R[$tag.ours.size]}" "$changed")
    rm -f "$W/$tag.delta"
}

# ---- the model pairs --------------------------------------------------------------------
for size in $SIZES; do
    tag=m$size base=$W/$tag.base target=$W/$tag.target
    say ""
    say "-- model $size MiB: fixtures ..."
    fx=$("$BD" fixture-model "$base" "$target" "$size" "$SEED") || die "fixture-model failed"
    changed=$(json_num changed_bytes "$fx")
    say "   base $(human "$(json_num base_bytes "$fx")"), target $(human "$(json_num target_bytes "$fx")"): $(json_num regions "$fx") regions overwritten ($(human "$(json_num overwritten_bytes "$fx")")) + 16 MiB inserted at byte $(json_num insert_at "$fx"): changed $changed bytes"
    # The machine's ceilings on the same file, in the same run.
    timed "$tag.sha" 0 "$BD" sha256 "$target"; must "$tag.sha"
    R[$tag.shamb]=$(json_num mb_per_s "$(cat "$W/log/$tag.sha.out")")
    timed "$tag.sha256sum" 0 sha256sum "$target"; must "$tag.sha256sum"
    R[$tag.sha256sum]=$T_S
    timed "$tag.cp" 0 cp "$target" "$W/copy"; must "$tag.cp"
    R[$tag.cp]=$T_S
    rm -f "$W/copy"
    timed "$tag.cpsync" 0 sh -c 'cp "$1" "$2" && sync "$2"' sh "$target" "$W/copy"; must "$tag.cpsync"
    R[$tag.cpsync]=$T_S
    rm -f "$W/copy"
    say "   SHA-256 ceiling (atmo::sha256FileHex, one core): ${R[$tag.shamb]} MB/s; sha256sum $(sec "${R[$tag.sha256sum]}") s; cp $(sec "${R[$tag.cp]}") s; cp + fsync $(sec "${R[$tag.cpsync]}") s"
    run_pair "$tag" "$base" "$target" "$changed"
    rm -f "$base" "$target"
done

# ---- the knowledge pair -----------------------------------------------------------------
tag=kb base=$W/kb.base.jsonl target=$W/kb.target.jsonl
say ""
say "-- knowledge: fixtures ..."
fx=$("$BD" fixture-knowledge "$base" "$target" "$SEED") || die "fixture-knowledge failed"
changed=$(json_num changed_bytes "$fx")
say "   base $(human "$(json_num base_bytes "$fx")") ($(json_num records_base "$fx") records), target $(json_num records_target "$fx") records: 47 added, 12 removed, 89 updated; changed records $changed bytes"
run_pair "$tag" "$base" "$target" "$changed" --records
rm -f "$base" "$target"

# ---- summary ------------------------------------------------------------------------------
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
pass() { [[ $(awk -v a="$1" -v b="$2" 'BEGIN{print (a <= b) ? 1 : 0}') == 1 ]] && echo PASS || echo FAIL; }
say ""
say "== ratios (ours ÷ theirs: below 1 is smaller or faster for ours) =="
for size in $SIZES; do
    t=m$size
    line="$size MiB: delta ÷ changed ${R[$t.dr]} (target <= 1.2: $(pass "${R[$t.dr]}" 1.2))"
    [[ ${R[$t.xd.size]} =~ ^[0-9]+$ ]] &&
        line+="; size vs xdelta3 $(ratio "${R[$t.ours.size]}" "${R[$t.xd.size]}"), create $(ratio "${R[$t.ours.cs]}" "${R[$t.xd.cs]}"), apply $(ratio "${R[$t.ours.as]}" "${R[$t.xd.as]:-0}")"
    [[ ${R[$t.zs.size]} =~ ^[0-9]+$ ]] &&
        line+="; size vs zstd $(ratio "${R[$t.ours.size]}" "${R[$t.zs.size]}"), create $(ratio "${R[$t.ours.cs]}" "${R[$t.zs.cs]}"), apply $(ratio "${R[$t.ours.as]}" "${R[$t.zs.as]}")"
    say "$line"
    say "   apply ÷ cp $(ratio "${R[$t.ours.as]}" "${R[$t.cp]}") (÷ cp + fsync $(ratio "${R[$t.ours.as]}" "${R[$t.cpsync]}")), apply ÷ sha256sum $(ratio "${R[$t.ours.as]}" "${R[$t.sha256sum]}"); peak RSS ours create $(mib "${R[$t.ours.ck]}") MiB, apply $(mib "${R[$t.ours.ak]}") MiB (target <= 256 MiB: $(pass "$(awk -v a="${R[$t.ours.ck]}" -v b="${R[$t.ours.ak]}" 'BEGIN{print (a > b) ? a : b}')" 262144))"
done
first=${SIZES%% *}
if [[ $largest != "$first" ]]; then
    say "peak RSS ours from $first to $largest MiB: create $(mib "${R[m$first.ours.ck]}") -> $(mib "${R[m$largest.ours.ck]}") MiB, apply $(mib "${R[m$first.ours.ak]}") -> $(mib "${R[m$largest.ours.ak]}") MiB (flat: growth $(ratio "${R[m$largest.ours.ck]}" "${R[m$first.ours.ck]}")x / $(ratio "${R[m$largest.ours.ak]}" "${R[m$first.ours.ak]}")x)"
fi
line="knowledge: Records delta ÷ changed records ${R[kb.dr]} (target <= 1.2: $(pass "${R[kb.dr]}" 1.2))"
[[ ${R[kb.xd.size]} =~ ^[0-9]+$ ]] && line+="; size vs xdelta3 $(ratio "${R[kb.ours.size]}" "${R[kb.xd.size]}")"
[[ ${R[kb.zs.size]} =~ ^[0-9]+$ ]] && line+="; size vs zstd $(ratio "${R[kb.ours.size]}" "${R[kb.zs.size]}")"
say "$line"
say "load average: start $load_start, end $load_end"

say ""
say "| pair | tool | delta | delta ÷ changed | create | create peak RSS | apply | apply peak RSS | rebuilt |"
say "|---|---|---|---|---|---|---|---|---|"
row() { # tag label tool key
    local t=$1 k=$4 size=${R[$1.$4.size]}
    if [[ $size =~ ^[0-9]+$ ]]; then
        say "| $2 | $3 | $(human "$size") ($size B) | $(ratio "$size" "${R[$t.changed]}") | $(sec "${R[$t.$k.cs]}") s | $(mib "${R[$t.$k.ck]}") MiB | ${R[$t.$k.as]:+$(sec "${R[$t.$k.as]}") s} | ${R[$t.$k.ak]:+$(mib "${R[$t.$k.ak]}") MiB} | ${R[$t.$k.ok]} |"
    else
        say "| $2 | $3 | — | — | — | — | — | — | ${R[$t.$k.ok]} |"
    fi
}
for size in $SIZES; do
    t=m$size label="model $(human $((size << 20))) (changed $(human "${R[$t.changed]}"); SHA-256 ${R[$t.shamb]} MB/s, cp $(sec "${R[$t.cp]}") s, sha256sum $(sec "${R[$t.sha256sum]}") s)"
    row "$t" "$label" ours ours
    row "$t" "" xdelta3 xd
    row "$t" "" "zstd --patch-from" zs
done
row kb "knowledge JSONL, 100k records (changed $(human "${R[kb.changed]}"))" "ours (Records)" ours
row kb "" xdelta3 xd
row kb "" "zstd --patch-from" zs

((${#BAD[@]} == 0)) || die "rebuilt files differ from their targets: ${BAD[*]}"
