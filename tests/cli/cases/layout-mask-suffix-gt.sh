# --mask-suffix _gt pairs crack/000.tiff with crack/000_gt.png.
t=$(mktemp -d "$TMPDIR/x.XXXXXX") && src="$PWD/tests/cli/inputs/batch/mvtec" && cd "$t" || exit 1
cp -r "$src/results/bottle" maps && mkdir -p masks/crack
for f in "$src/dataset/bottle/ground_truth/crack"/*_mask.png; do
	cp "$f" masks/crack/$(basename "$f" _mask.png)_gt.png
done
adthresh --map-maxima --mask-suffix _gt --maps maps --masks masks
echo "exit $?"
adthresh --map-maxima --maps maps --masks masks
echo "exit $?"
