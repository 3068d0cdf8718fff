#!/usr/bin/env bash
# A real Slurm run of examples/cluster/sweep.sbatch: installs slurm-wlm and munge if missing (Debian, as root),
# starts a one-node Slurm on localhost (munged, slurmctld, slurmd, a generated slurm.conf, all in a temp dir),
# creates a small ASHA sweep, submits 3 workers as a job array with sbatch, waits for it, checks the sweep's
# summary, and stops the daemons it started. Needs app/target/digitlab.jar (mvn -B -q package -DskipTests).
# Usage: examples/cluster/test-slurm.sh   (about 1–3 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
JAR=$ROOT/app/target/digitlab.jar
[ -f "$JAR" ] || { echo "error: $JAR not found; build it with: mvn -B -q package -DskipTests" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "error: run as root (it installs packages and starts slurmd)" >&2; exit 2; }

if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "== installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
SLURM_VERSION=$(dpkg-query -W -f='${Version}' slurm-client 2>/dev/null || echo '?')
echo "== slurm $SLURM_VERSION, $(munged --version 2>&1 | head -1)"

WORK=$(mktemp -d /tmp/digitlab-slurm.XXXXXX)
PIDS=()
cleanup() {
  local code=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ $code -ne 0 ]; then
    echo "== failed (exit $code); logs:"
    tail -n 20 "$WORK"/*.log "$WORK"/worker-*.out 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit $code
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HOST=$(hostname -s)
mkdir -p "$WORK/state" "$WORK/spool"
dd if=/dev/urandom of="$WORK/munge.key" bs=1024 count=1 status=none
chmod 600 "$WORK/munge.key"
NODE=$(slurmd -C | head -1)
cat > "$WORK/slurm.conf" <<CONF
ClusterName=digitlab-test
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$WORK/munge.socket
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
$NODE State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$WORK/slurm.conf

echo "== starting munged, slurmctld and slurmd (config $SLURM_CONF)"
munged --force --foreground --key-file="$WORK/munge.key" --socket="$WORK/munge.socket" \
  --pid-file="$WORK/munged.pid" --log-file="$WORK/munged.log" --seed-file="$WORK/munge.seed" \
  >"$WORK/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$WORK/munge.socket" ] && break; sleep 0.1; done
slurmctld -D -i -f "$SLURM_CONF" >"$WORK/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" >"$WORK/slurmd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do
  sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
  sleep 1
done
sinfo

SWEEP=$WORK/sweep
echo "== creating the sweep"
java -jar "$JAR" tune --search asha --preset mnist-mlp --dataset mnist-sample --limit 600 --trials 6 \
  --max-epochs 3 --min-epochs 1 --reduction 3 --lr 1e-3..3e-2:log --seed 5 --deterministic --device cpu \
  --workers 0 --dir "$SWEEP" 2>/dev/null

echo "== sbatch --array=0-2 examples/cluster/sweep.sbatch"
START=$(date +%s)
JOB=$(DIGITLAB_JAR=$JAR DIGITLAB_LEASE_SECONDS=20 sbatch --parsable --array=0-2 --cpus-per-task=1 --mem=0 \
  --time=15 --output="$WORK/worker-%a.out" --chdir="$WORK" examples/cluster/sweep.sbatch "$SWEEP")
echo "submitted job array $JOB"
# Polled every second (sbatch --wait backs off to half-minute polls).
while [ -n "$(squeue -h -j "$JOB" 2>/dev/null)" ]; do
  [ $(( $(date +%s) - START )) -lt 900 ] || { echo "error: job array $JOB still running after 900 s" >&2; exit 1; }
  sleep 1
done
echo "== job array done in $(( $(date +%s) - START )) s"
CODES=$(scontrol -o show job "$JOB" | grep -o 'ExitCode=[0-9:]*' | sort | uniq -c | tr -s ' ')
echo "task exit codes:$CODES"
[ "$(echo "$CODES" | grep -c 'ExitCode=0:0')" -eq 1 ] && [ "$(echo "$CODES" | wc -l)" -eq 1 ]
NOISE='^[0-9:. ]+(INFO|WARN)|tensorflow|^WARNING|^I0000|^To enable|^$'
for f in "$WORK"/worker-*.out; do echo "-- $(basename "$f")"; grep -v -E "$NOISE" "$f" || true; done

echo "== checking the sweep"
STATUS=$(java -jar "$JAR" tune status "$SWEEP" --json 2>/dev/null)
echo "$STATUS" | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s["finished"] and s["done"] == 6 and s["running"] == 0 and s["pending"] == 0, s
print("status: done %(done)d, running %(running)d, pending %(pending)d; best %(best)s" % s)'
test -s "$SWEEP/summary.csv" && test -s "$SWEEP/summary.png" && test -s "$SWEEP/test/metrics.json"
[ "$(wc -l < "$SWEEP/summary.csv")" -eq 7 ]
cat "$SWEEP/summary.md"
echo "== ok: 3 Slurm array tasks ran the sweep to its summary"
