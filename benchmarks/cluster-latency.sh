#!/bin/bash
# usage: benchmarks/cluster-latency.sh OUTDIR
# Coupon latency on PostgreSQL, three set-ups in one run (after an unmeasured warm-up walk on the first silo), each the simulator's walk against real server processes:
#   single    one silo: gateways, apps and every grain on it (a cluster of one);
#   crossnode a second silo joins: gateways post to silo B, apps connect to silo A;
#   frontend  a front-end (BeaconEngine:Role=frontend) joins: gateways and apps both use it, grains on A and B.
# Builds nothing: run `dotnet build -c Release src/BeaconEngine.Server` and
# `dotnet build -c Release simulator/BeaconEngine.Simulator` first. Starts its own PostgreSQL (initdb in a
# temporary folder, as the postgres user when run as root) and stops only the processes it started, by pid.
# Every simulated phone shares 127.0.0.1, so the per-address connection limit is raised.
# RUNARGS adds simulator options (default: --shoppers 1000 --seconds 60 --baseline-seconds 30 --batch-ms 100 --sensitivity -82).
set -u
cd "$(dirname "$0")/.."
OUT=$(realpath -m "$1"); mkdir -p "$OUT"
SERVER=$PWD/src/BeaconEngine.Server/bin/Release/net10.0/BeaconEngine.Server.dll
SIM=$PWD/simulator/BeaconEngine.Simulator/bin/Release/net10.0/BeaconEngine.Simulator.dll
RUNARGS=${RUNARGS:---shoppers 1000 --seconds 60 --baseline-seconds 30 --batch-ms 100 --sensitivity -82}
PGBIN=$(dirname "$(readlink -f "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PGPORT=$(free_port)
WORK=$(mktemp -d /tmp/beacon-latency-XXXXXX)
PIDS=()
as_pg() { if [ "$(id -u)" = 0 ]; then setpriv --reuid postgres --regid postgres --init-groups -- "$@"; else "$@"; fi; }
cleanup() {
  # A silo's graceful stop waits on the database; the figures are taken, so no goodbye is needed.
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
  as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] && chown postgres "$WORK"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --no-instructions >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/log" -w -o "-c listen_addresses=127.0.0.1 -c unix_socket_directories= -p $PGPORT -c max_connections=200" start >/dev/null
"$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE beaconengine" postgres
# Three nodes of at most 60 connections each stay inside max_connections=200 (Npgsql pools 100 by default).
CONN="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=beaconengine;Maximum Pool Size=60"

# start NAME ROLE: a node on free ports, its log in OUT; prints its URL.
start() {
  local http=$(free_port) silo=$(free_port) gateway=$(free_port)
  (BeaconEngine__AdminKey=simadmin BeaconEngine__DataPath=$WORK/$1 BeaconEngine__Role=$2 BeaconEngine__SiloPort=$silo \
    BeaconEngine__Cluster__Mode=postgres BeaconEngine__Cluster__Postgres="$CONN" BeaconEngine__Cluster__ClusterId=latency \
    BeaconEngine__Cluster__AdvertisedIPAddress=127.0.0.1 BeaconEngine__Cluster__GatewayPort=$gateway \
    BeaconEngine__Cluster__Gateways__GatewayListRefreshPeriod=00:00:02 BeaconEngine__Limits__MaxConnectionsPerAddress=5000 \
    exec dotnet "$SERVER" --urls "http://127.0.0.1:$http" --diagnostics --baseline > "$OUT/node-$1.log" 2>&1) &
  PIDS+=($!)
  for i in $(seq 1 120); do curl -sf "http://127.0.0.1:$http/health/ready" >/dev/null && break; sleep 0.5; done
  URL="http://127.0.0.1:$http"
}
NODES=()
simulate() { # NAME URL GATEWAY-URL HUB-URL: the walk, then each node's count of coupon messages from other nodes
  echo "$1: set-up $2, gateways $3, apps $4" | tee "$OUT/$1.txt"
  dotnet "$SIM" --url "$2" --gateway-url "$3" --hub-url "$4" --admin-key simadmin $RUNARGS --out "$OUT/$1" >> "$OUT/$1.txt" 2>&1
  grep -E "Coupons|Engine latency" "$OUT/$1.txt" | tee -a "$OUT/summary.txt"
  for n in "${NODES[@]}"; do
    echo "$1 $(curl -s "$n/api/v1/cluster" -H "Authorization: Bearer simadmin")"
  done | tee -a "$OUT/summary.txt"
}

start a silo; A=$URL; NODES+=("$A")
# Not measured: a first walk, so the single phase does not pay for a cold process and a cold database alone.
RUNARGS="$RUNARGS --seconds 20 --baseline-seconds 0" simulate warm "$A" "$A" "$A"
simulate single "$A" "$A" "$A"
start b silo; B=$URL; NODES+=("$B")
sleep 10   # until both silos see each other and the first one's registry lists the second
simulate crossnode "$A" "$B" "$A"
start f frontend; F=$URL; NODES+=("$F")
sleep 10
simulate frontend "$F" "$F" "$F"
