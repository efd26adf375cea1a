#!/bin/bash
# A private avahi-daemon for tests: its own network namespace (only `lo`, with
# multicast on), its own D-Bus system bus, its own /run. Never touches the
# machine's interfaces, its system bus or a running avahi-daemon.
# See tests/mdns/README.md for why each piece is there.
#
# Usage: netns_avahi.sh           (as root)
# stdout, one line each:
#   READY <netns> <D-Bus address> <work dir>   all running; use the address as
#                                              DBUS_SYSTEM_BUS_ADDRESS and run
#                                              mDNS peers with `ip netns exec <netns>`
#   SKIP <reason>                              cannot run here (exit 77)
#   FAIL <reason>                              set-up failed (exit 1)
# stdin, one command a line:
#   stop-avahi | start-avahi | restart-avahi   answered with "OK <command>"
#   deny-browse | allow-browse                 the bus refuses (or again passes)
#                                              every ServiceBrowserNew call:
#                                              avahi refusing to browse
#   quit (or end of input)                     tear everything down and exit
# Everything is torn down on exit, on a signal, and when stdin closes (the
# test died); the daemons also get SIGTERM if this script is killed outright.
set -u

say() { printf '%s\n' "$*"; }
skip() { say "SKIP $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "mDNS tests need root (to create a network namespace)"
for tool in ip avahi-daemon dbus-daemon dbus-send unshare mount; do
    command -v "$tool" >/dev/null 2>&1 || skip "mDNS tests need '$tool', which is not installed"
done
SYSTEM_CONF=/usr/share/dbus-1/system.conf
[ -r "$SYSTEM_CONF" ] || skip "mDNS tests need $SYSTEM_CONF (package dbus)"
AVAHI_POLICY=
for f in /usr/share/dbus-1/system.d/avahi-dbus.conf /etc/dbus-1/system.d/avahi-dbus.conf; do
    [ -r "$f" ] && { AVAHI_POLICY=$f; break; }
done
[ -n "$AVAHI_POLICY" ] || skip "mDNS tests need avahi's D-Bus policy avahi-dbus.conf (package avahi-daemon)"
# Ties a daemon's life to this script's when util-linux has setpriv.
DEATHSIG=()
setpriv --help 2>/dev/null | grep -q -- --pdeathsig && DEATHSIG=(setpriv --pdeathsig TERM --)

# Namespaces and work directories left behind by a harness that was
# SIGKILLed: their names carry the creator's pid; delete them only when that
# pid is gone and nothing runs inside (its daemons died with it through the
# death signal).
for stale in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^atmo-mdns-[0-9]*-'); do
    owner=${stale#atmo-mdns-}; owner=${owner%%-*}
    if ! kill -0 "$owner" 2>/dev/null && [ -z "$(ip netns pids "$stale" 2>/dev/null)" ]; then
        ip netns delete "$stale" 2>/dev/null
    fi
done
for stale in /tmp/atmo-mdns-[0-9]*.??????; do
    [ -d "$stale" ] || continue
    owner=${stale#/tmp/atmo-mdns-}; owner=${owner%%.*}
    kill -0 "$owner" 2>/dev/null || rm -rf "$stale"
done

NS="atmo-mdns-$$-$RANDOM"
WORK=$(mktemp -d "/tmp/atmo-mdns-$$.XXXXXX") || { say "FAIL cannot create a temporary directory"; exit 1; }
BUS="unix:path=$WORK/bus"
DBUS_PID=
AVAHI_PID=
NS_MADE=

cleanup() {
    trap - EXIT INT TERM HUP PIPE
    stop_avahi
    if [ -n "$DBUS_PID" ]; then
        kill "$DBUS_PID" 2>/dev/null
        wait "$DBUS_PID" 2>/dev/null
    fi
    [ -n "$NS_MADE" ] && ip netns delete "$NS" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

# Prints the last lines of a daemon's log to stderr, for the test's output.
show_log() { [ -f "$1" ] && { echo "--- $1" >&2; tail -n 20 "$1" >&2; }; }

if ! err=$(ip netns add "$NS" 2>&1); then
    skip "cannot create a network namespace: ip netns add: ${err:-failed}"
fi
NS_MADE=1
ip -n "$NS" link set lo up && ip -n "$NS" link set lo multicast on ||
    { say "FAIL cannot bring up lo with multicast in namespace $NS"; exit 1; }

# The system bus's own configuration, minus what belongs to the real system
# bus (user, fork, pid file, syslog, activation, the real socket, the host's
# system.d), plus avahi's policy (which lets root own org.freedesktop.Avahi).
sed -e '/<user>/d' -e '/<fork\/>/d' -e '/<pidfile>/d' -e '/<syslog\/>/d' \
    -e '/<servicehelper>/d' -e '/<standard_system_servicedirs\/>/d' \
    -e '/<includedir>/d' -e '/<include .*\/etc\/dbus-1\//d' \
    -e "s#<listen>.*</listen>#<listen>$BUS</listen>#" \
    -e "s#</busconfig>#  <include>$AVAHI_POLICY</include>\n  <includedir>$WORK/policy.d</includedir>\n</busconfig>#" \
    "$SYSTEM_CONF" > "$WORK/bus.conf"
mkdir -p "$WORK/policy.d"
"${DEATHSIG[@]}" dbus-daemon --config-file="$WORK/bus.conf" --nofork --nopidfile \
    >"$WORK/dbus.log" 2>&1 </dev/null &
DBUS_PID=$!
for _ in $(seq 100); do
    [ -S "$WORK/bus" ] && break
    kill -0 "$DBUS_PID" 2>/dev/null || break
    sleep 0.05
done
if [ ! -S "$WORK/bus" ]; then
    show_log "$WORK/dbus.log"
    say "FAIL the private dbus-daemon did not start"
    exit 1
fi

# lo only, IPv4 only, no wide-area, a fixed host name (the machine's name is
# not the test's business), and no static services from /etc/avahi/services.
cat > "$WORK/avahi.conf" <<EOF
[server]
host-name=atmo-mdns-test
use-ipv4=yes
use-ipv6=no
allow-interfaces=lo
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
publish-aaaa-on-ipv4=no
[reflector]
enable-reflector=no
[rlimits]
EOF
mkdir -p "$WORK/run" "$WORK/services"

# avahi-daemon keeps its pid file and socket in /run/avahi-daemon, a fixed
# path: a private mount namespace gives it our own /run, so it never meets a
# system avahi-daemon nor another test's.
start_avahi() {
    rm -rf "$WORK/run/avahi-daemon"
    DBUS_SYSTEM_BUS_ADDRESS=$BUS "${DEATHSIG[@]}" ip netns exec "$NS" \
        unshare --mount --propagation private sh -c '
            mount --bind "$1/run" /run &&
            mount --bind "$1/services" /etc/avahi/services &&
            exec avahi-daemon --no-drop-root --no-chroot --no-proc-title --no-rlimits -f "$1/avahi.conf"' \
        sh "$WORK" >>"$WORK/avahi.log" 2>&1 </dev/null &
    AVAHI_PID=$!
    # Ready when the daemon answers on the bus and has finished probing its
    # host name (state 2 = AVAHI_SERVER_RUNNING).
    for _ in $(seq 200); do
        if ! kill -0 "$AVAHI_PID" 2>/dev/null; then
            wait "$AVAHI_PID" 2>/dev/null
            AVAHI_PID=
            break
        fi
        DBUS_SYSTEM_BUS_ADDRESS=$BUS dbus-send --system --print-reply --reply-timeout=500 \
            --dest=org.freedesktop.Avahi / org.freedesktop.Avahi.Server.GetState 2>/dev/null |
            grep -q 'int32 2' && return 0
        sleep 0.05
    done
    show_log "$WORK/avahi.log"
    return 1
}

stop_avahi() {
    [ -n "$AVAHI_PID" ] || return 0
    kill "$AVAHI_PID" 2>/dev/null
    wait "$AVAHI_PID" 2>/dev/null
    AVAHI_PID=
}

# A mandatory policy outranks avahi's own; the bus applies it on reload.
deny_browse() {
    cat > "$WORK/policy.d/deny-browse.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <policy context="mandatory">
    <deny send_destination="org.freedesktop.Avahi" send_interface="org.freedesktop.Avahi.Server"
          send_member="ServiceBrowserNew"/>
  </policy>
</busconfig>
EOF
    reload_bus
}
allow_browse() { rm -f "$WORK/policy.d/deny-browse.conf"; reload_bus; }
reload_bus() {
    DBUS_SYSTEM_BUS_ADDRESS=$BUS dbus-send --system --print-reply --reply-timeout=5000 \
        --dest=org.freedesktop.DBus / org.freedesktop.DBus.ReloadConfig >/dev/null
}

start_avahi || { say "FAIL avahi-daemon did not start in namespace $NS"; exit 1; }
say "READY $NS $BUS $WORK"

while IFS= read -r command; do
    case "$command" in
        stop-avahi) stop_avahi; say "OK $command" ;;
        start-avahi) start_avahi && say "OK $command" || say "FAIL avahi-daemon did not start" ;;
        restart-avahi) stop_avahi; start_avahi && say "OK $command" || say "FAIL avahi-daemon did not start" ;;
        deny-browse) deny_browse && say "OK $command" || say "FAIL cannot reload the bus" ;;
        allow-browse) allow_browse && say "OK $command" || say "FAIL cannot reload the bus" ;;
        quit) break ;;
        "") ;;
        *) say "FAIL unknown command: $command" ;;
    esac
done
exit 0
