#!/bin/bash
# CPU seconds (user+sys, incl. reaped children) consumed by a process tree: tree-cpu.sh PID
desc() { echo $1; for c in $(pgrep -P $1); do desc $c; done; }
t=0; for p in $(desc $1); do v=$(awk '{print $14+$15+$16+$17}' /proc/$p/stat 2>/dev/null); t=$((t+${v:-0})); done
echo "pid $1: $(echo "scale=1; $t/$(getconf CLK_TCK)"|bc) CPU-s"
