# MVTec AD 2's private test splits have no ground truth.
t=$(mktemp -d "$TMPDIR/x.XXXXXX") && src="$PWD/tests/cli/inputs/batch/mvtec" && cd "$t" || exit 1
mkdir -p r/bottle/test_private r/bottle/test_private_mixed d/bottle
cp "$src/results/bottle/test/good/000.tiff" r/bottle/test_private/
cp "$src/results/bottle/test/good/001.tiff" r/bottle/test_private_mixed/
adthresh --batch --map-maxima --maps r --masks d
echo "exit $?"
adthresh --batch --split test_private --maps r --masks d
echo "exit $?"
adthresh --split '' --maps r/bottle
