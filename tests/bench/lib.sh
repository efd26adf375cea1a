# What the benchmark scripts share; sourced, not run. The caller sets BENCH
# (its name, for messages), REPO, BUILD_DIR and KEEP before using these.

die() { echo "$BENCH: $*" >&2; exit 1; }
say() { printf '%s\n' "$*"; }

# "1G" "4GiB" "512M" "300k" "123456" -> bytes
to_bytes() {
    local v=${1^^} n unit
    v=${v%IB}; v=${v%B}
    [[ $v =~ ^([0-9]+)([KMGT]?)$ ]] || die "not a size: $1 (try 1G, 512M)"
    n=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2]}
    case $unit in
    K) echo $((n << 10)) ;; M) echo $((n << 20)) ;; G) echo $((n << 30)) ;; T) echo $((n << 40)) ;; *) echo "$n" ;;
    esac
}
human() { awk -v b="$1" 'BEGIN{ if (b >= 2^30) printf "%.1f GiB", b/2^30; else if (b >= 2^20) printf "%.1f MiB", b/2^20; else printf "%d KiB", b/1024 }'; }

require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || die "$tool is required"
    done
}

# Sets ATMO: $ATMO_BIN when given, else `atmosphere` built (Release) in $BUILD_DIR.
atmo_binary() {
    if [[ -n ${ATMO_BIN:-} ]]; then
        ATMO=$ATMO_BIN
        [[ -x $ATMO ]] || die "ATMO_BIN=$ATMO is not an executable"
        say "binary: $ATMO (from ATMO_BIN)"
        return
    fi
    command -v cmake >/dev/null || die "cmake is required to build (or set ATMO_BIN)"
    if [[ ! -f $BUILD_DIR/build.ninja ]]; then
        say "configuring a Release build in $BUILD_DIR"
        cmake -S "$REPO" -B "$BUILD_DIR" -G Ninja -DATMO_BUILD_GUI=OFF -DATMO_BUILD_TESTS=OFF \
            -DCMAKE_BUILD_TYPE=Release >"$REPO/build-bench.configure.log" 2>&1 ||
            { tail -n 30 "$REPO/build-bench.configure.log" >&2; die "cmake configure failed"; }
        rm -f "$REPO/build-bench.configure.log"
    fi
    local bt
    bt=$(awk -F= '/^CMAKE_BUILD_TYPE:/{print $2}' "$BUILD_DIR/CMakeCache.txt")
    [[ $bt == Release ]] || die "$BUILD_DIR is a '$bt' build, not Release; remove it or set ATMO_BIN"
    say "building atmosphere (Release) in $BUILD_DIR"
    cmake --build "$BUILD_DIR" --target atmosphere >"$BUILD_DIR/bench-build.log" 2>&1 ||
        { tail -n 30 "$BUILD_DIR/bench-build.log" >&2; die "build failed (see $BUILD_DIR/bench-build.log)"; }
    ATMO=$BUILD_DIR/bin/atmosphere
    [[ -x $ATMO ]] || die "no binary at $ATMO after the build"
}

# Sets W to a fresh work directory under $TMPDIR (default /var/tmp), removed
# on exit unless KEEP=1; processes whose pids are in PIDS are stopped first.
make_workdir() {
    local parent=${TMPDIR:-/var/tmp}
    [[ -d $parent && -w $parent ]] || die "$parent is not a writable directory"
    W=$(mktemp -d "$parent/$1.XXXXXX")
    PIDS=()
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}
bench_cleanup() {
    local rc=$? p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    if ((KEEP)); then echo "kept work directory: $W" >&2; else rm -rf "$W"; fi
    exit "$rc"
}

# Dies unless the work directory's filesystem has $1 bytes free.
need_free() {
    local avail
    avail=$(($(df -Pk "$W" | awk 'NR==2{print $4}') * 1024))
    (($1 <= avail)) || die "$W: needs about $(human "$1") free, has $(human $avail)"
}

# Wall-clock seconds with nanoseconds, for differences with bc.
now() { date +%s.%N; }
# The median of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
# wait_for FILE REGEX PID WHAT: waits (up to 5 min) until FILE has a line
# matching REGEX and prints the number that ends the first match; dies
# naming WHAT when the process PID exits first (showing FILE and its
# siblings FILE*) or the time runs out.
wait_for() {
    local i
    for ((i = 0; i < 3000; i++)); do
        if grep -qE "$2" "$1" 2>/dev/null; then grep -oE "$2" "$1" | head -n1 | grep -oE '[0-9]+$'; return 0; fi
        kill -0 "$3" 2>/dev/null || { cat "$1"* >&2; die "$4 exited"; }
        sleep 0.1
    done
    die "$4 did not start"
}
