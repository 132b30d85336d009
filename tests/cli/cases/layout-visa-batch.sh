# VisA: results/<category>/Data/Images/{Normal,Anomaly} against the data
# set's <category>/Data/Masks/Anomaly/<id>.png, named as the image.
t=$(mktemp -d "$TMPDIR/x.XXXXXX") && src="$PWD/tests/cli/inputs/batch/mvtec" && cd "$t" || exit 1
for c in bottle screw; do
	d=$(ls "$src/dataset/$c/ground_truth")
	mkdir -p r/$c/Data/Images d/$c/Data/Images/Normal d/$c/Data/Images/Anomaly d/$c/Data/Masks/Anomaly
	cp -r "$src/results/$c/test/good" r/$c/Data/Images/Normal
	cp -r "$src/results/$c/test/$d" r/$c/Data/Images/Anomaly
	for f in "$src/dataset/$c/ground_truth/$d"/*_mask.png; do
		id=$(basename "$f" _mask.png)
		cp "$f" d/$c/Data/Masks/Anomaly/$id.png
		cp "$src/dataset/$c/train/good/000.png" d/$c/Data/Images/Anomaly/$id.JPG
	done
done
mkdir -p d/split_csv && printf 'object,split,label,image,mask\n' >d/split_csv/1cls.csv
adthresh --batch --map-maxima --format csv --maps r --masks d
