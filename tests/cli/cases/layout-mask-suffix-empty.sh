# --mask-suffix '': a mask has its map's name; a _mask file is then a mask
# without a map, and a map needs its same-name mask.
t=$(mktemp -d "$TMPDIR/x.XXXXXX") && src="$PWD/tests/cli/inputs/batch/mvtec" && cd "$t" || exit 1
cp -r "$src/results/bottle" maps && mkdir -p masks/crack
for f in "$src/dataset/bottle/ground_truth/crack"/*_mask.png; do
	cp "$f" masks/crack/$(basename "$f" _mask.png).png
done
adthresh --map-maxima --mask-suffix '' --maps maps --masks masks
echo "exit $?"
cp "$src/dataset/bottle/ground_truth/crack/000_mask.png" masks/crack/
adthresh --map-maxima --mask-suffix '' --maps maps --masks masks
echo "exit $?"
rm masks/crack/001.png
adthresh --map-maxima --mask-suffix '' --maps maps --masks masks
echo "exit $?"
