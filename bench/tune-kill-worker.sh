#!/bin/bash
# 18-trial ASHA sweep, 3 local worker processes; once 6 trials have a result, the first worker found training a
# trial that already has an epoch checkpoint is killed with SIGKILL. Usage: bench/tune-kill-worker.sh [WORKDIR]
JAR=$(cd "$(dirname "$0")/.." && pwd)/app/target/digitlab.jar
cd "${1:-/tmp}" && rm -rf kill3
/usr/bin/time -f "wall %e s, user %U s" java -jar "$JAR" tune --search asha \
  --preset mnist-mlp --dataset mnist-sample --trials 18 --max-epochs 9 --min-epochs 1 --reduction 3 \
  --lr 1e-4..1e-2:log --batch-size 32..256:pow2 --dropout 0..0.5 --workers 3 --lease-seconds 20 \
  --dir kill3 > kill3.out 2> kill3.err &
for i in $(seq 600); do
  n=$(ls kill3/trials/*/rung-0.json 2>/dev/null | wc -l)
  if [ "$n" -ge 6 ]; then
    for h in kill3/trials/*/lease/holder.json; do
      pid=$(grep '"pid"' "$h" 2>/dev/null | tr -dc 0-9)
      dir=$(dirname "$(dirname "$h")")
      if [ -n "$pid" ] && [ -d "$dir/checkpoints" ] && ls "$dir"/checkpoints | grep -q epoch; then
        echo "$(date +%T) kill -9 $pid while it trains $(basename "$dir"): $(grep '"job"' "$h")"
        ls "$dir/checkpoints"
        kill -9 "$pid"
        wait
        exit 0
      fi
    done
  fi
  sleep 0.2
done
