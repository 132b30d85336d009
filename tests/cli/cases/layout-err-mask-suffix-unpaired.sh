# The pairing errors name the suffix they looked for.
t=$(mktemp -d "$TMPDIR/x.XXXXXX") && src="$PWD/tests/cli/inputs/batch/mvtec" && cd "$t" || exit 1
cp -r "$src/results/bottle" maps && cp -r "$src/dataset/bottle" masks
adthresh --map-maxima --mask-suffix _gt --maps maps --masks masks
echo "exit $?"
rm -r maps/test/crack
adthresh --map-maxima --mask-suffix _gt --maps maps --masks masks
echo "exit $?"
mkdir -p flat/crack && cp "$src/results/bottle/test/crack/000.tiff" "$src/dataset/bottle/ground_truth/crack/000_mask.png" flat/crack/
adthresh --map-maxima --mask-suffix '' --maps flat --masks flat
echo "exit $?"
adthresh --map-maxima --maps flat --masks flat
echo "exit $?"
adthresh --mask-suffix _gt scores.csv
echo "exit $?"
adthresh --mask-suffix a/b --maps maps --masks masks
echo "exit $?"
