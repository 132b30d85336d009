# --split validation: MVTec AD 2's normal-only split, no ground truth needed;
# one tree holding the maps and test_public/ground_truth walks the latter as
# masks only.
t=$(mktemp -d "$TMPDIR/x.XXXXXX") && src="$PWD/tests/cli/inputs/batch/mvtec" && cd "$t" || exit 1
mkdir -p r/bottle/test_public/ground_truth r/bottle/validation
cp -r "$src/results/bottle/test/good" r/bottle/test_public/good
cp -r "$src/results/bottle/test/crack" r/bottle/test_public/bad
cp -r "$src/dataset/bottle/ground_truth/crack" r/bottle/test_public/ground_truth/bad
cp -r "$src/results/bottle/test/good" r/bottle/validation/good
adthresh --map-maxima --maps r/bottle --masks r/bottle
echo "exit $?"
adthresh --batch --split validation --policy sigma:3 --format csv --maps r --masks r
echo "exit $?"
