T=$(mktemp -d) && adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --plot "$T/p.png" >/dev/null && file -b "$T/p.png"
