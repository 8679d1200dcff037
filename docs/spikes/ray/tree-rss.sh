#!/bin/bash
# RSS and PSS (MiB) and process count of a process and all its descendants: tree-rss.sh PID
desc() { echo $1; for c in $(pgrep -P $1); do desc $c; done; }
pids=$(desc $1); n=0; tot=0; pss=0
for p in $pids; do r=$(awk '/VmRSS/{print $2}' /proc/$p/status 2>/dev/null); s=$(awk '/^Pss:/{print $2}' /proc/$p/smaps_rollup 2>/dev/null)
  tot=$((tot+${r:-0})); pss=$((pss+${s:-0})); n=$((n+1)); done
echo "pid $1: $n processes, RSS $((tot/1024)) MiB, PSS $((pss/1024)) MiB"
