#!/usr/bin/env bash
# End-to-end throughput (issue 4): iperf3 TCP for DURATION seconds (default 10) between two
# inner hosts in two fresh network namespaces joined by a veth pair, through
#   1. plain routing (no tunnel),
#   2. a strongSwan pair (charon with kernel-libipsec on both sides),
#   3. a Ferry pair (vpn-sidecar.jar run on both sides),
#   4. Ferry (namespace a) against strongSwan (namespace b),
# all in one run, then prints Gbit/s per case and the ratios. Needs root, iproute2, strongSwan
# (charon-systemd, swanctl, libcharon-extra-plugins) and iperf3 (installed with apt-get if
# missing). Traffic never leaves the namespaces; everything is removed on exit (trap).
#
# Usage: benchmarks/e2e/bench.sh [DURATION]     (run from anywhere; builds the sidecar jar if
#        missing). Environment: OMIT (default 3) seconds iperf3 runs before it starts counting,
#        ESP (default aes128gcm16), IKE (aes128gcm16-prfsha256-ecp256),
#        JAVA_OPTS for the sidecar JVMs (default -XX:+UseParallelGC), FERRY_JFR=1 records a JFR
#        profile of each Ferry JVM into the work directory (kept when FERRY_KEEP=1),
#        CASES (default "plain strongswan-pair ferry-pair ferry-vs-strongswan") to run only some.
set -euo pipefail

DURATION="${1:-10}"
OMIT="${OMIT:-3}"
ESP="${ESP:-aes128gcm16}"
IKE="${IKE:-aes128gcm16-prfsha256-ecp256}"
JAVA_OPTS="${JAVA_OPTS:--XX:+UseParallelGC}"
CASES="${CASES:-plain strongswan-pair ferry-pair ferry-vs-strongswan}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JAR="$ROOT/samples/sidecar/target/vpn-sidecar.jar"
ID="$(printf '%06x' $((RANDOM * 32768 + RANDOM)))"
NS_A="ferry-$ID-a"
NS_B="ferry-$ID-b"
WORK="/tmp/ferry-bench-$ID"
PSK="ferry-bench-psk-$ID"
PIDS=()

log() { echo "bench: $*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, TUN devices)"
command -v ip >/dev/null || die "iproute2 (ip) is missing"
if ! command -v iperf3 >/dev/null; then
  log "installing iperf3"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iperf3 >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends iperf3 >/dev/null; }
fi
CHARON="$(command -v charon-systemd || echo /usr/sbin/charon-systemd)"
[ -x "$CHARON" ] && command -v swanctl >/dev/null || die "strongSwan (charon-systemd, swanctl) is missing"
JAVA_HOME="$("$ROOT/scripts/with-jdk" sh -c 'echo $JAVA_HOME')"
JAVA="$JAVA_HOME/bin/java"
if [ ! -f "$JAR" ]; then
  log "building $JAR"
  (cd "$ROOT" && scripts/with-jdk mvn -q -B -o -pl vpn-core,vpn-esp,vpn-ike,samples/sidecar \
    package -DskipTests)
fi

cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
  for ns in "$NS_A" "$NS_B"; do
    if ip netns list | grep -qw "$ns"; then
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
      ip netns del "$ns"
    fi
  done
  [ "${FERRY_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# Layout as the Java lab (docs/interop.md): inner hosts on loopback, outer veth 192.0.2.0/24.
up_namespaces() {
  ip netns add "$NS_A"
  ip netns add "$NS_B"
  ip -n "$NS_A" link add ferry-a type veth peer name ferry-b netns "$NS_B"
  local ns side i
  for side in a b; do
    ns="$NS_A"; i=1
    [ "$side" = b ] && { ns="$NS_B"; i=2; }
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "192.0.2.$i/24" dev "ferry-$side"
    ip -n "$ns" link set "ferry-$side" up
    ip -n "$ns" addr add "10.231.$i.1/32" dev lo
  done
}

stop_pid() { # SIGTERM, up to 6 s for an orderly stop (a sidecar deletes its SAs), then SIGKILL
  local pid="$1" i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

down_namespaces() {
  local i
  # Newest first, one at a time: the initiating sidecar deletes the SAs while its peer still runs.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
  PIDS=()
  for ns in "$NS_A" "$NS_B"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
}

# start NS LABEL CMD...: runs CMD in NS in the background, output to $WORK/LABEL.out.
start() {
  local ns="$1" label="$2"
  shift 2
  ip netns exec "$ns" "$@" >"$WORK/$label.out" 2>&1 </dev/null &
  PIDS+=("$!")
  disown "$!" # no job-control notices when it is stopped
}

await_ping() { # waits up to 30 s until 10.231.1.1 reaches 10.231.2.1
  local i
  for i in $(seq 1 60); do
    if ip netns exec "$NS_A" ping -n -c 1 -W 1 -I 10.231.1.1 10.231.2.1 >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

strongswan() { # strongswan SIDE: charon in that side's namespace, responder config loaded
  local side="$1" ns="$NS_A" me=1 peer=2
  [ "$side" = b ] && { ns="$NS_B"; me=2; peer=1; }
  local dir="$WORK/swan-$side"
  mkdir -p "$dir"
  cat >"$dir/strongswan.conf" <<EOF
charon {
  load_modular = no
  load = random nonce openssl pem pkcs1 x509 pubkey curve25519 aes gcm chapoly sha1 sha2 hmac kdf xcbc cmac ctr ccm gmp kernel-libipsec kernel-netlink socket-default vici
  plugins {
    vici {
      socket = unix://$dir/charon.vici
    }
  }
  filelog {
    bench {
      path = $dir/charon.log
      default = 1
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
}
charon-systemd {
  journal {
    default = -1
  }
}
EOF
  cat >"$dir/swanctl.conf" <<EOF
connections {
  bench {
    version = 2
    local_addrs = 192.0.2.$me
    remote_addrs = 192.0.2.$peer
    proposals = $IKE
    local {
      auth = psk
      id = $side.bench.example
    }
    remote {
      auth = psk
      id = $([ "$side" = a ] && echo b || echo a).bench.example
    }
    children {
      net {
        local_ts = 10.231.$me.0/24
        remote_ts = 10.231.$peer.0/24
        esp_proposals = $ESP
      }
    }
  }
}
secrets {
  ike-bench {
    id-a = a.bench.example
    id-b = b.bench.example
    secret = "$PSK"
  }
}
EOF
  chmod 600 "$dir/swanctl.conf"
  start "$ns" "charon-$side" env STRONGSWAN_CONF="$dir/strongswan.conf" "$CHARON"
  local i
  for i in $(seq 1 100); do
    swanctl --stats --uri "unix://$dir/charon.vici" >/dev/null 2>&1 && break
    sleep 0.1
  done
  # swanctl reports missing credential directories beside the file on stderr: harmless.
  ip netns exec "$ns" swanctl --load-all --noprompt --file "$dir/swanctl.conf" \
    --uri "unix://$dir/charon.vici" >/dev/null 2>&1
}

sidecar() { # sidecar SIDE AUTO: vpn-sidecar.jar run in that side's namespace
  local side="$1" auto="$2" ns="$NS_A" me=1 peer=2 other=b
  [ "$side" = b ] && { ns="$NS_B"; me=2; peer=1; other=a; }
  cat >"$WORK/sidecar-$side.yaml" <<EOF
ipsec:
  keyexchange: ikev2
  ike: $IKE
  esp: $ESP
  auto: $auto
local:
  subnet: 10.231.$me.0/24
  id: $side.bench.example
remote:
  gateway: 192.0.2.$peer
  subnet: 10.231.$peer.0/24
  id: $other.bench.example
preshared:
  secret: "$PSK"
EOF
  local jfr=""
  [ "${FERRY_JFR:-0}" = 1 ] && jfr="-XX:StartFlightRecording=filename=$WORK/sidecar-$side-$CASE.jfr,settings=profile"
  # shellcheck disable=SC2086
  start "$ns" "sidecar-$side-$CASE" "$JAVA" $JAVA_OPTS $jfr -jar "$JAR" run \
    --config "$WORK/sidecar-$side.yaml"
  local i
  for i in $(seq 1 100); do
    grep -q "listening on" "$WORK/sidecar-$side-$CASE.out" 2>/dev/null && return 0
    sleep 0.2
  done
  die "sidecar in $side did not start: $(tail -5 "$WORK/sidecar-$side-$CASE.out")"
}

iperf() { # prints the receiver's Gbit/s of a DURATION s TCP stream a -> b
  start "$NS_B" "iperf3-server-$CASE" iperf3 -s -1 -B 10.231.2.1
  sleep 0.5
  # -O: the first OMIT seconds (TCP slow start, the JIT compiling Ferry's packet path) are not
  # counted, for every case alike.
  ip netns exec "$NS_A" iperf3 -c 10.231.2.1 -B 10.231.1.1 -t "$DURATION" -O "$OMIT" -f m \
    >"$WORK/iperf3-$CASE.out" 2>&1 || { log "iperf3 failed: $(tail -3 "$WORK/iperf3-$CASE.out")"; echo 0; return; }
  awk '/receiver/ { printf "%.3f\n", $(NF-2) / 1000 }' "$WORK/iperf3-$CASE.out"
}

diagnose() { # where packets were lost: UDP receive-buffer overflows and TUN/ipsec0 drops per side
  local ns side dev
  for side in a b; do
    ns="$NS_A"; [ "$side" = b ] && ns="$NS_B"
    {
      echo "== $CASE $side"
      ip netns exec "$ns" awk '/^Udp:/ && ++n == 2 { print "udp InErrors " $4 " RcvbufErrors " $6 " SndbufErrors " $7 }' /proc/net/snmp
      for dev in ferry0 ipsec0; do
        ip -n "$ns" link show "$dev" >/dev/null 2>&1 || continue
        ip -n "$ns" -s link show "$dev" | awk -v d="$dev" \
          '/RX:/ { getline; rx = $4 } /TX:/ { getline; tx = $4 } END { print d " rx-dropped " rx " tx-dropped " tx }'
      done
    } >>"$WORK/diag.txt"
  done
}

ferry_counters() { # the counters each sidecar logs when it stops (after down_namespaces)
  local side
  for side in a b; do
    grep -h "final counters" "$WORK/sidecar-$side-$CASE.out" 2>/dev/null \
      | sed "s/^.*final counters: /  ferry $side /" >>"$WORK/diag.txt" || true
  done
}

want() { case " $CASES " in *" $1 "*) return 0 ;; *) GBITS[$1]=-; return 1 ;; esac; }

mkdir -p "$WORK"
declare -A GBITS

CASE=plain
if want "$CASE"; then
up_namespaces
ip -n "$NS_A" route add 10.231.2.0/24 via 192.0.2.2
ip -n "$NS_B" route add 10.231.1.0/24 via 192.0.2.1
GBITS[$CASE]="$(iperf)"; log "$CASE: ${GBITS[$CASE]} Gbit/s"
diagnose
down_namespaces
ferry_counters
fi

CASE=strongswan-pair
if want "$CASE"; then
up_namespaces
strongswan a
strongswan b
ip netns exec "$NS_A" swanctl --initiate --child net --uri "unix://$WORK/swan-a/charon.vici" >/dev/null
await_ping || die "$CASE: no ping through the tunnel"
GBITS[$CASE]="$(iperf)"; log "$CASE: ${GBITS[$CASE]} Gbit/s"
diagnose
down_namespaces
ferry_counters
fi

CASE=ferry-pair
if want "$CASE"; then
up_namespaces
sidecar b add
sidecar a start
await_ping || die "$CASE: no ping through the tunnel: $(tail -5 "$WORK/sidecar-a-$CASE.out")"
GBITS[$CASE]="$(iperf)"; log "$CASE: ${GBITS[$CASE]} Gbit/s"
diagnose
down_namespaces
ferry_counters
fi

CASE=ferry-vs-strongswan
if want "$CASE"; then
up_namespaces
strongswan b
sidecar a start
await_ping || die "$CASE: no ping through the tunnel: $(tail -5 "$WORK/sidecar-a-$CASE.out")"
GBITS[$CASE]="$(iperf)"; log "$CASE: ${GBITS[$CASE]} Gbit/s"
diagnose
down_namespaces
ferry_counters
fi

echo
echo "End-to-end TCP throughput, iperf3 ${DURATION} s, ESP $ESP, $(nproc) CPUs, $(date -u +%F)"
printf '%-22s %10s\n' case Gbit/s
for c in plain strongswan-pair ferry-pair ferry-vs-strongswan; do
  printf '%-22s %10s\n' "$c" "${GBITS[$c]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo "ferry-pair / strongswan-pair:          $(ratio "${GBITS[ferry-pair]}" "${GBITS[strongswan-pair]}")"
echo "ferry-vs-strongswan / strongswan-pair: $(ratio "${GBITS[ferry-vs-strongswan]}" "${GBITS[strongswan-pair]}")"
echo "ferry-pair / plain:                    $(ratio "${GBITS[ferry-pair]}" "${GBITS[plain]}")"
echo "TCP retransmissions (sender): $(for c in plain strongswan-pair ferry-pair ferry-vs-strongswan; do
  printf '%s=%s ' "$c" "$(awk '/sender/ { print $(NF-1) }' "$WORK/iperf3-$c.out" 2>/dev/null)"; done)"
echo "packet loss points (UDP receive buffer, TUN queues):"
grep -v '^$' "$WORK/diag.txt" | sed 's/^/  /'
