# MVTec AD 2: results/<category>/{test_public,validation,test_private} against
# the data set's <category>/test_public/ground_truth/bad/<id>_mask.png.
t=$(mktemp -d "$TMPDIR/x.XXXXXX") && src="$PWD/tests/cli/inputs/batch/mvtec" && cd "$t" || exit 1
for c in bottle screw; do
	d=$(ls "$src/dataset/$c/ground_truth")
	mkdir -p r/$c/test_public r/$c/validation r/$c/test_private d/$c/test_public/ground_truth \
		d/$c/test_public/good d/$c/validation/good d/$c/train
	cp -r "$src/results/$c/test/good" r/$c/test_public/good
	cp -r "$src/results/$c/test/$d" r/$c/test_public/bad
	cp -r "$src/results/$c/test/good" r/$c/validation/good
	cp "$src/results/$c/test/good/000.tiff" r/$c/test_private/000.tiff
	cp -r "$src/dataset/$c/ground_truth/$d" d/$c/test_public/ground_truth/bad
	cp -r "$src/dataset/$c/train/good" d/$c/train/good
	cp "$src/dataset/$c/train/good/000.png" d/$c/test_public/good/000.png
	cp "$src/dataset/$c/train/good/000.png" d/$c/validation/good/000.png
done
adthresh --batch -v --map-maxima --maps r --masks d
