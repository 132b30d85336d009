# A single run given a folder of categories points at --batch.
adthresh --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset
echo "exit $?"
adthresh --maps tests/cli/inputs/batch/mvtec/dataset --masks tests/cli/inputs/batch/mvtec/dataset
