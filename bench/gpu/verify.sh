#!/usr/bin/env bash
# Proves that DigitLab trains on an NVIDIA GPU. Needs only the machine's NVIDIA driver and Java 17+ (no Maven, no
# network, no CUDA install): the -Pgpu jar bundles CUDA 12 and cuDNN 9, and bench/gpu/pack.sh brings the jar,
# Fashion-MNIST's four IDX files and this script in one archive (with --with-java, a Java runtime too).
#
#   verify.sh [--jar FILE] [--data DIR] [--out DIR] [--epochs N] [K ...]
#
# 1. `digitlab doctor`: printed, and it must say the GPU is usable.
# 2. mnist-cnn on Fashion-MNIST's 60,000 training images (no validation split), --epochs (default 3) on the GPU
#    for each K (`--steps-per-call K`, default: 1 8 32; K = 1 runs without the flag, and K > 1 is skipped when the
#    jar has no such flag), then once on the CPU: samples/s per epoch, the best K, test accuracy GPU vs CPU.
# 3. --deterministic on the GPU, one epoch twice: history.csv (less seconds) and predictions.csv must match.
#
# Exit codes: 0 the GPU was used and the deterministic runs matched; 1 the GPU was not used (or doctor says it
# is not usable, or a run failed); 4 the GPU was used but the deterministic runs differ or failed; 2 bad usage.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jar=""
data=""
out=""
epochs=3
gpu=gpu
ks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --gpu-device) gpu=$2; shift 2 ;;  # 'cpu': a dry run of this script on a machine without a GPU
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) ks+=("$1"); shift ;;
  esac
done
[ ${#ks[@]} -gt 0 ] || ks=(1 8 32)
first_existing() { for f in "$@"; do if [ -e "$f" ]; then echo "$f"; return; fi; done; echo "$1"; }
# The pack's layout first (verify.sh beside digitlab.jar and fashion-mnist/), then a checkout's.
[ -n "$jar" ] || jar=$(first_existing "$here/digitlab.jar" "$here/../../app/target-gpu/digitlab.jar" \
    "$here/../../app/target/digitlab.jar")
[ -n "$data" ] || data=$(first_existing "$here/fashion-mnist" /usr/share/datasets/fashion-mnist)
[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/digitlab-gpu-verify.XXXXXX")
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# The runtime pack.sh --with-java brought, on a machine without Java.
if [ -z "${JAVA_HOME:-}" ] && [ -x "$here/java/bin/java" ]; then java=$here/java/bin/java; fi
for f in "$jar" "$data/train-images-idx3-ubyte.gz" "$data/t10k-labels-idx1-ubyte.gz"; do
  [ -f "$f" ] || { echo "error: $f not found (see --help)" >&2; exit 2; }
done
for k in "${ks[@]}"; do
  [[ "$k" =~ ^[1-9][0-9]*$ ]] || { echo "error: K must be a positive whole number, found '$k'" >&2; exit 2; }
done
mkdir -p "$out"
digitlab() { "$java" -jar "$jar" "$@"; }
# The number of training images: bytes 4-7 of the IDX header, big-endian.
samples=$(set +o pipefail; gzip -dc "$data/train-images-idx3-ubyte.gz" 2> /dev/null | head -c 8 | od -An -tu1 \
    | awk '{ print (($5 * 256 + $6) * 256 + $7) * 256 + $8 }')
echo "jar $jar ($(stat -c %s "$jar") bytes), data $data, results in $out"

echo "== digitlab doctor"
# The first call also extracts the bundled CUDA libraries (~2.4 GB) into ~/.cache/digitlab/cuda, once.
set +e
digitlab doctor --device "$gpu" | tee "$out/doctor.txt"
doctor_status=${PIPESTATUS[0]}
set -e
digitlab doctor --json > "$out/doctor.json" || true
if [ "$doctor_status" -ne 0 ]; then
  echo "FAIL: doctor says TensorFlow cannot use a GPU here (see above)"
  exit 1
fi

has_k=0
if digitlab train --help | grep -q -- '--steps-per-call'; then has_k=1; fi

# column NAME FILE: the values of a CSV column, by its header name.
column() {
  awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }' "$2"
}
# test_accuracy DIR: metrics.json's test accuracy (the first "accuracy", inside "test").
test_accuracy() { sed -n 's/^ *"accuracy" *: *\([0-9.eE+-]*\).*/\1/p' "$1/metrics.json" | head -1; }
run_device() { sed -n 's/^ *"device" *: *"\([^"]*\)".*/\1/p' "$1/metrics.json" | tail -1; }

train() {  # train NAME DEVICE K EPOCHS [FLAGS...]
  local name=$1 device=$2 k=$3 n=$4
  shift 4
  local args=(train --preset mnist-cnn --dataset fashion-mnist --data-dir "$data" --val-fraction 0
      --epochs "$n" --device "$device" --out "$out/$name" "$@")
  if [ "$k" -gt 1 ]; then args+=(--steps-per-call "$k"); fi
  echo "== $name: digitlab ${args[*]}"
  local start=$SECONDS
  if ! digitlab "${args[@]}" > "$out/$name.log" 2>&1; then
    tail -20 "$out/$name.log"
    echo "FAIL: $name did not finish (log: $out/$name.log)"
    return 1
  fi
  echo "   $((SECONDS - start)) s in all; device $(run_device "$out/$name")"
}

rates() {  # rates NAME: samples/s of each epoch, from history.csv's seconds
  column seconds "$out/$1/history.csv" | awk -v n="$samples" '{ printf "%9.0f", n / $1 }'
}

runs=()
for k in "${ks[@]}"; do
  if [ "$k" -gt 1 ] && [ $has_k -eq 0 ]; then
    echo "== K = $k skipped: this jar has no --steps-per-call"
    continue
  fi
  train "gpu-k$k" "$gpu" "$k" "$epochs" || exit 1
  runs+=("gpu-k$k")
done
train cpu-k1 cpu 1 "$epochs" || exit 1
runs+=(cpu-k1)

echo
echo "== samples/s per epoch ($samples training images, the preset's batch size)"
printf '%-10s %-6s' run device
for e in $(seq 1 "$epochs"); do printf '%9s' "epoch $e"; done
printf '%10s\n' accuracy
for r in "${runs[@]}"; do
  printf '%-10s %-6s%s%10s\n' "$r" "$(run_device "$out/$r")" "$(rates "$r")" "$(test_accuracy "$out/$r")"
done

gpu_used=1
best="" best_rate=0
for r in "${runs[@]}"; do
  case "$r" in gpu-*) ;; *) continue ;; esac
  if [ "$(run_device "$out/$r")" != "GPU:0" ]; then gpu_used=0; fi
  rate=$(rates "$r" | awk '{ print $NF }')  # the last epoch: warm-up and autotuning are over
  if awk -v a="$rate" -v b="$best_rate" 'BEGIN { exit !(a > b) }'; then best=$r; best_rate=$rate; fi
done
cpu_rate=$(rates cpu-k1 | awk '{ print $NF }')
echo "best on the GPU: $best, $best_rate samples/s in the last epoch ($(awk -v a="$best_rate" -v b="$cpu_rate" \
    'BEGIN { printf "%.1f", a / b }')x the CPU's $cpu_rate)"
echo "test accuracy: GPU (K = 1) $(test_accuracy "$out/gpu-k1"), CPU $(test_accuracy "$out/cpu-k1")"

echo
train det-a "$gpu" 1 1 --deterministic || exit 4
train det-b "$gpu" 1 1 --deterministic || exit 4
strip_seconds() { awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seconds") c = i }
    { $c = ""; print }' "$1"; }
if diff <(strip_seconds "$out/det-a/history.csv") <(strip_seconds "$out/det-b/history.csv") > /dev/null \
    && cmp -s "$out/det-a/predictions.csv" "$out/det-b/predictions.csv"; then
  echo "deterministic GPU runs: identical history.csv (less seconds) and predictions.csv"
else
  echo "DIFFERENT: two --deterministic GPU runs differ (compare $out/det-a and $out/det-b)"
  deterministic=0
fi
if [ $gpu_used -eq 0 ]; then
  echo "FAIL: a GPU run did not run on GPU:0 (see metrics.json's device)"
  exit 1
fi
[ "${deterministic:-1}" -eq 1 ] || exit 4
echo "OK: the GPU was used"
