#!/bin/bash
# Run one Ray node (head|worker) in its own PID namespace so teardown = kill one process.
# usage: node-ns.sh head|worker   (extra env: IP, BASE, HEAD, TMPD, GRACE)
# - `--kill-child`: if unshare dies (SIGKILL), the namespace's init gets SIGKILL; when init
#   (pid 1 in the ns) dies the kernel SIGKILLs every process in the namespace, including
#   job drivers that Ray put into their own sessions/process groups.
# - unshare 2.38 (--fork) BLOCKS SIGTERM/SIGINT in itself and does not forward them: SIGTERM to
#   unshare does nothing. Hard stop: SIGKILL unshare (0.2-0.5 s to no process left). Graceful
#   stop: SIGTERM the ns init (host pid = child of unshare): it TERMs everything in the ns
#   (kill -1), waits GRACE s, exits (=> kernel SIGKILLs the rest). A plain pid-1 bash without
#   a trap would ignore SIGTERM (init semantics).
cd /work/spike-ray
exec unshare --pid --fork --kill-child --mount-proc -- \
  bash -c 'trap "kill -TERM -1 2>/dev/null; sleep ${GRACE:-2}; exit 0" TERM INT; ./start-'"$1"'.sh --block & wait'
