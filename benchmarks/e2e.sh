#!/bin/bash
# usage: benchmarks/e2e.sh OUTDIR [phase...]  phases: run capacity memory cluster-orleans cluster-redis
# Builds nothing: run `dotnet build -c Release src/BeaconEngine.Server` and `dotnet build -c Release simulator/BeaconEngine.Simulator` first.
# Starts the Release server on 127.0.0.1:5099 (data in /tmp/e2e-data) with --diagnostics --baseline, runs the simulator phase, stops the server.
# RUNARGS / CAPARGS add simulator options, e.g. RUNARGS="--batch-ms 100 --sensitivity -82" benchmarks/e2e.sh /tmp/out run
set -u
cd "$(dirname "$0")/.."
OUT=$1; shift
mkdir -p $OUT
SERVER=src/BeaconEngine.Server/bin/Release/net10.0/BeaconEngine.Server.dll
SIM=simulator/BeaconEngine.Simulator/bin/Release/net10.0/BeaconEngine.Simulator.dll
start_single() {
  pkill -f "Release/net10.0/BeaconEngine.Server.dll" ; sleep 1
  rm -rf /tmp/e2e-data
  (BeaconEngine__AdminKey=simadmin BeaconEngine__DataPath=/tmp/e2e-data nohup dotnet $SERVER --urls http://127.0.0.1:5099 --diagnostics --baseline > $OUT/server-$1.log 2>&1 &)
  for i in $(seq 1 60); do curl -sf http://127.0.0.1:5099/health >/dev/null && break; sleep 0.5; done
}
for phase in "$@"; do
  case $phase in
    run) start_single run
      dotnet $SIM --url http://127.0.0.1:5099 --admin-key simadmin --shoppers 1000 --seconds 60 --baseline-seconds 30 ${RUNARGS:-} --out $OUT/run > $OUT/run.txt 2>&1 ;;
    capacity) start_single capacity
      dotnet $SIM --url http://127.0.0.1:5099 --admin-key simadmin --capacity --shoppers 5000 --step-seconds 10 --start-rate 10000 ${CAPARGS:-} --out $OUT/capacity > $OUT/capacity.txt 2>&1 ;;
    memory) start_single memory
      dotnet $SIM --url http://127.0.0.1:5099 --admin-key simadmin --memory 100000 --out $OUT/memory > $OUT/memory.txt 2>&1 ;;
    cluster-*) delivery=${phase#cluster-}
      pkill -f "Release/net10.0/BeaconEngine.Server.dll"; pkill -f "redis-server --port 6399"; sleep 1
      redis-server --port 6399 --save "" --appendonly no --daemonize yes >/dev/null
      for n in a b; do
        port=$([ $n = a ] && echo 5101 || echo 5102); silo=$([ $n = a ] && echo 11201 || echo 11202)
        rm -rf /tmp/e2e-$n
        (BeaconEngine__AdminKey=simadmin BeaconEngine__DataPath=/tmp/e2e-$n BeaconEngine__Cluster__Mode=redis BeaconEngine__Cluster__Redis=127.0.0.1:6399 \
          BeaconEngine__Cluster__ClusterId=e2e-$delivery-$$ BeaconEngine__Cluster__AdvertisedIPAddress=127.0.0.1 BeaconEngine__Cluster__Delivery=$delivery \
          BeaconEngine__SiloPort=$silo nohup dotnet $SERVER --urls http://127.0.0.1:$port --diagnostics --baseline > $OUT/node-$n-$delivery.log 2>&1 &)
      done
      for p in 5101 5102; do for i in $(seq 1 60); do curl -sf http://127.0.0.1:$p/health >/dev/null && break; sleep 0.5; done; done
      sleep 5
      dotnet $SIM --url http://127.0.0.1:5101 --gateway-url http://127.0.0.1:5102 --hub-url http://127.0.0.1:5101 --admin-key simadmin --shoppers 1000 --seconds 60 --baseline-seconds 30 ${RUNARGS:-} --out $OUT/cluster-$delivery > $OUT/cluster-$delivery.txt 2>&1
      pkill -f "Release/net10.0/BeaconEngine.Server.dll"; redis-cli -p 6399 shutdown nosave >/dev/null 2>&1 ;;
  esac
done
pkill -f "Release/net10.0/BeaconEngine.Server.dll"
