#!/bin/sh
# Builds the modules (into */target-bench) and runs the training benchmark; arguments go to TrainingBenchmark,
# e.g. bench/training/run.sh --models cnn --batch-sizes 128
set -e
cd "$(dirname "$0")/../.."
mvn -B -o -q -Ddigitlab.target=target-bench -pl training-module -am compile dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target-bench/classpath.txt
CP="training-module/target-bench/classes:$(cat training-module/target-bench/classpath.txt)"
exec java -cp "$CP" bench/training/TrainingBenchmark.java "$@"
