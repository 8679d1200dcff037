#!/bin/bash
# Worker node joining the head at 127.0.0.11:26379 from 127.0.0.12; every port pinned.
source /work/spike-ray/env.sh
IP=${IP:-127.0.0.12}; B=${BASE:-27300}; HEAD=${HEAD:-127.0.0.11:26379}
exec ray start --address $HEAD --node-ip-address $IP \
  --node-manager-port $((B+80)) --object-manager-port $((B+81)) \
  --metrics-export-port $((B+82)) --dashboard-agent-listen-port $((B+83)) \
  --dashboard-agent-grpc-port $((B+84)) --runtime-env-agent-port $((B+85)) \
  --min-worker-port $((B+100)) --max-worker-port $((B+149)) \
  --num-cpus 1 --num-gpus 0 --memory $((2*1024**3)) --object-store-memory $((256*1024**2)) \
  --resources '{"io_device_B":1}' --temp-dir ${TMPD:-/work/spike-ray/tmp-b} --disable-usage-stats "$@"
