#!/bin/bash
# Head node of lease cluster on 127.0.0.11; every port pinned; metrics ports moved via env.
source /work/spike-ray/env.sh
IP=${IP:-127.0.0.11}; B=${BASE:-26300}   # port base for this node
export AUTOSCALER_METRIC_PORT=$((B+87)) DASHBOARD_METRIC_PORT=$((B+88))
exec ray start --head --node-ip-address $IP --port $((B+79)) \
  --dashboard-host $IP --dashboard-port $((B+65)) \
  --node-manager-port $((B+80)) --object-manager-port $((B+81)) \
  --metrics-export-port $((B+82)) --dashboard-agent-listen-port $((B+83)) \
  --dashboard-agent-grpc-port $((B+84)) --runtime-env-agent-port $((B+85)) \
  --ray-client-server-port $((B+86)) --min-worker-port $((B+100)) --max-worker-port $((B+149)) \
  --num-cpus 1 --num-gpus 0 --memory $((2*1024**3)) --object-store-memory $((256*1024**2)) \
  --resources '{"io_device_A":1}' --temp-dir ${TMPD:-/work/spike-ray/tmp-a} --disable-usage-stats "$@"
