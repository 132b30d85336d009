# Files of no map format in a maps or masks folder are never read: with -v
# each is listed, without it nothing is said; dot files are skipped silently.
t=$(mktemp -d "$TMPDIR/x.XXXXXX") && src="$PWD/tests/cli/inputs/batch/mvtec" && cd "$t" || exit 1
cp -r "$src/results/bottle" maps && cp -r "$src/dataset/bottle" masks
printf 'hi\n' >maps/test/crack/notes.txt
printf 'hi\n' >maps/test/.hidden.tiff
printf 'hi\n' >masks/ground_truth/crack/README.md
printf 'hi\n' >masks/ground_truth/crack/Thumbs.db
adthresh --map-maxima --maps maps --masks masks
echo "exit $?"
adthresh -v --map-maxima --maps maps --masks masks
echo "exit $?"
