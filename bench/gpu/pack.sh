#!/usr/bin/env bash
# Packs what bench/gpu/verify.sh needs on a GPU machine that has no Maven and no network: the -Pgpu jar (TensorFlow's
# CUDA natives and the CUDA 12 / cuDNN 9 libraries inside), Fashion-MNIST's four IDX files and verify.sh, as one
# zstd-compressed tar split into pieces under 60 MiB, with their SHA-256 sums. The jar is stored without compression
# inside the tar, so that zstd sees the raw libraries: a quarter smaller than the jar's own deflate.
#
#   mvn -B -q package -DskipTests -Pgpu -Ddigitlab.target=target-gpu -pl app -am
#   bench/gpu/pack.sh [--jar app/target-gpu/digitlab.jar] [--data /usr/share/datasets/fashion-mnist] [--out DIR]
#                     [--with-java]
#
# --with-java adds a Java runtime (jlink of this JDK, the modules jdeps finds in the jar, ~30 MB packed) for a GPU
# machine without Java; verify.sh uses it when JAVA_HOME is unset.
#
# On the GPU machine (needs tar and zstd, or unpack elsewhere and copy the folder):
#   sha256sum -c digitlab-gpu.sha256 && cat digitlab-gpu.tar.zst.* | zstd -d | tar -x && digitlab-gpu/verify.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$root/app/target-gpu/digitlab.jar
data=/usr/share/datasets/fashion-mnist
out=$root/target-gpu-pack  # ignored by git, as every target*/
with_java=0
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --with-java) with_java=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -f "$jar" ] || { echo "error: $jar not found: build it first (see --help)" >&2; exit 2; }
if ! jar -tf "$jar" | grep -q '^org/tensorflow/internal/c_api/linux-x86_64-gpu/'; then
  echo "error: $jar carries no GPU natives: build it with -Pgpu" >&2
  exit 2
fi
files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
for f in "${files[@]}"; do
  [ -f "$data/$f" ] || { echo "error: $data/$f not found (apt-get install dataset-fashion-mnist)" >&2; exit 2; }
done
if [ $with_java -eq 1 ]; then  # checked before the minutes of repacking
  jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  if [ ! -d "$jdk/jmods" ]; then
    echo "error: --with-java: $jdk has no jmods/ for jlink: install a full JDK (openjdk-17-jdk)" >&2
    exit 2
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/digitlab-pack.XXXXXX")
trap 'rm -rf "$work"' EXIT
pack=$work/digitlab-gpu
mkdir -p "$pack/fashion-mnist" "$work/jar"
echo "repacking $jar ($(stat -c %s "$jar") bytes) without compression"
(cd "$work/jar" && jar -xf "$jar")
# -M: the jar's own META-INF/MANIFEST.MF goes in as it is; -0: stored, not deflated.
jar -c -M -0 -f "$pack/digitlab.jar" -C "$work/jar" .
rm -rf "$work/jar"
for f in "${files[@]}"; do cp "$data/$f" "$pack/fashion-mnist/"; done
cp "$root/bench/gpu/verify.sh" "$pack/"
if [ $with_java -eq 1 ]; then
  # jdeps misses what is loaded by name: logging (Logback), JMX and XML parsers, zip file systems.
  modules=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 "$jar")
  modules=$modules,java.logging,java.management,java.xml,jdk.zipfs
  echo "jlinking a Java runtime of $jdk with $modules"
  jlink --module-path "$jdk/jmods" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
      --compress=2 --output "$pack/java"
fi

mkdir -p "$out"
rm -f "$out"/digitlab-gpu.tar.zst.* "$out/digitlab-gpu.sha256"
echo "compressing $(du -sb "$pack" | cut -f 1) bytes with zstd"
tar -C "$work" -cf - digitlab-gpu | zstd -q -T0 -10 --long=27 | split -b 59m -d -a 3 - "$out/digitlab-gpu.tar.zst."
(cd "$out" && sha256sum digitlab-gpu.tar.zst.* > digitlab-gpu.sha256)
echo "$(ls "$out"/digitlab-gpu.tar.zst.* | wc -l) pieces, $(cat "$out"/digitlab-gpu.tar.zst.* | wc -c) bytes in $out"
