#!/usr/bin/env bash
# Benchmark of delta packages end to end (issue 15), through the
# `atmosphere` binary: the seed's mission with its tier_3 model replaced by
# a SIZE model (bench_delta's fixture: ~5 % of the bytes overwritten in
# scattered regions, a 16 MiB block inserted near the start), as 1.0 and 1.1.
# Side by side in one run, each with /usr/bin/time (wall seconds, peak RSS):
#  - the package: `package create --delta-from 1.0` against a full create of
#    1.1 (time, and the .atmo's size);
#  - the update on a device with 1.0 installed: `package import` of the delta
#    against `package import` of the full 1.1 (both verify, write, fsync and
#    switch; the delta rebuilds the model from 1.0 and hashes it);
#  - the model installed both ways compared with the target (cmp).
# The SHA-256 ceiling of this machine is printed with the figures (both
# imports are bounded by hashing). Read the ratios, not the seconds. Exits 0
# whatever the figures; non-zero only when something could not run or the
# installed model differs from the target.
#
# Usage: tests/bench/bench_delta_package.sh [--size-mib 1024] [--keep] [--build DIR]
# Work files under $TMPDIR (default /var/tmp): about 6x the size free.
set -euo pipefail
SIZE_MIB=1024 KEEP=0
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$SRC/build-bench}
while (($#)); do
    case $1 in
    --size-mib) SIZE_MIB=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --build) BUILD_DIR=$2; shift 2 ;;
    *) echo "bench_delta_package.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
BENCH=bench_delta_package.sh
REPO=$SRC
# shellcheck source=tests/bench/lib.sh
source "$SRC/tests/bench/lib.sh"
[[ $SIZE_MIB =~ ^[0-9]+$ ]] && ((SIZE_MIB >= 64)) || die "--size-mib takes a size in MiB, at least 64"
require_tools cmake ninja cmp awk
[[ -x /usr/bin/time ]] || die "GNU time (/usr/bin/time) is required (apt-get install -y time)"

# bench_delta (the fixture maker) needs the test tree; atmosphere is the CLI.
if [[ ! -f $BUILD_DIR/build.ninja ]]; then
    say "configuring a Release build in $BUILD_DIR"
    cmake -S "$REPO" -B "$BUILD_DIR" -G Ninja -DATMO_BUILD_GUI=OFF -DATMO_BUILD_TESTS=ON \
        -DCMAKE_BUILD_TYPE=Release >/dev/null || die "cmake configure failed"
fi
[[ $(awk -F= '/^CMAKE_BUILD_TYPE:/{print $2}' "$BUILD_DIR/CMakeCache.txt") == Release ]] ||
    die "$BUILD_DIR is not a Release build; remove it or pass --build"
grep -q '^ATMO_BUILD_TESTS:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" ||
    cmake -S "$REPO" -B "$BUILD_DIR" -DATMO_BUILD_TESTS=ON >/dev/null || die "cmake configure failed"
say "building atmosphere and bench_delta (Release) in $BUILD_DIR"
ninja -C "$BUILD_DIR" atmosphere bench_delta >"$BUILD_DIR/bench-delta-package-build.log" 2>&1 ||
    { tail -n 30 "$BUILD_DIR/bench-delta-package-build.log" >&2; die "build failed"; }
ATMO=$BUILD_DIR/bin/atmosphere BD=$BUILD_DIR/bin/bench_delta

make_workdir delta-package
need_free $(((SIZE_MIB << 20) * 6 + (1 << 30)))
mkdir -p "$W/log"
export ATMOSPHERE_HOME=$W/home
T_S=0 T_K=0
timed() { # NAME CMD...: wall seconds in T_S, peak RSS KiB in T_K
    local name=$1
    shift
    sync
    /usr/bin/time -f '%e %M' -o "$W/log/$name.time" "$@" >"$W/log/$name.out" 2>"$W/log/$name.err" ||
        { cat "$W/log/$name.err" >&2; die "$name failed"; }
    read -r T_S T_K < <(tail -n 1 "$W/log/$name.time")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN{printf "%.0f", k/1024}'; }

model=models/llama3-8b-inspection.gguf
for v in 1.0 1.1; do cp -r "$SRC/tests/data/seed-mission" "$W/m$v"; done
json_num() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$2"; }
fx=$("$BD" fixture-model "$W/m1.0/$model" "$W/m1.1/$model" "$SIZE_MIB" 15) || die "fixture-model failed"
changed=$(json_num changed_bytes "$fx")
"$ATMO" key generate --name mesh --output "$W/keys" --unencrypted >/dev/null
"$ATMO" trust add "$W/keys/mesh.pub" --role mesh >/dev/null
sha=$(json_num mb_per_s "$("$BD" sha256 "$W/m1.1/$model")")
say "== delta packages: a ${SIZE_MIB} MiB model ($(human "$changed") changed); $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
say "   SHA-256 on this machine: $(awk -v s="$sha" 'BEGIN{printf "%.0f", s}') MB/s (atmo::sha256FileHex, one core)"

sign=(--sign "$W/keys/mesh.key")
timed base "$ATMO" package create --mission "$W/m1.0" --version 1.0 --output "$W/out" "${sign[@]}"
timed full-create "$ATMO" package create --mission "$W/m1.1" --version 1.1 --output "$W/full" "${sign[@]}"
fc_s=$T_S fc_k=$T_K
timed delta-create "$ATMO" package create --mission "$W/m1.1" --version 1.1 --output "$W/out" "${sign[@]}" \
    --delta-from production-inspection-1.0
dc_s=$T_S dc_k=$T_K
full=$W/full/production-inspection-v1.1.atmo delta=$W/out/production-inspection-v1.1-from-v1.0.atmo
full_b=$(stat -c %s "$full") delta_b=$(stat -c %s "$delta")

# Two devices with 1.0 installed; one takes the delta, the other the full 1.1.
for d in a b; do timed "install-$d" "$ATMO" package import "$W/out/production-inspection-v1.0.atmo" --root "$W/dev-$d" --tier 3; done
timed full-import "$ATMO" package import "$full" --root "$W/dev-b" --tier 3
fi_s=$T_S fi_k=$T_K
timed delta-import "$ATMO" package import "$delta" --root "$W/dev-a" --tier 3
di_s=$T_S di_k=$T_K
BAD=0
for d in a b; do
    cmp -s "$W/dev-$d/production-inspection/1.1/$model" "$W/m1.1/$model" || { say "  !! dev-$d: the installed model differs"; BAD=1; }
done

say ""
say "| ${SIZE_MIB} MiB model | delta package | full package | delta ÷ full |"
say "| --- | ---: | ---: | ---: |"
say "| .atmo size | $(human "$delta_b") | $(human "$full_b") | $(ratio "$delta_b" "$full_b") |"
say "| .atmo size ÷ changed bytes | $(ratio "$delta_b" "$changed") | $(ratio "$full_b" "$changed") | |"
say "| create (s) | $dc_s | $fc_s | $(ratio "$dc_s" "$fc_s") |"
say "| create peak RSS (MiB) | $(mib "$dc_k") | $(mib "$fc_k") | |"
say "| import onto 1.0 (s) | $di_s | $fi_s | $(ratio "$di_s" "$fi_s") |"
say "| import peak RSS (MiB) | $(mib "$di_k") | $(mib "$fi_k") | |"
say "| installed model = target | $( ((BAD)) && echo NO || echo yes) | | |"
((BAD == 0)) || die "an installed model differs from the target"
