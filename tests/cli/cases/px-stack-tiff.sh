# Multi-page TIFF stacks read as stacks [N,H,W], paired by page index like a
# stacked NPY: every run gives byte for byte the numbers of the NPY of the
# same data (float32 and float64 maps, uint8 and bool masks, and a TIFF
# stack paired with an NPY stack either way round).
top=$PWD && mkdir -p "$TMPDIR/tiffs" && cd "$TMPDIR/tiffs" &&
	/usr/bin/python3 "$top/tests/cli/inputs/px/stack/tiffs.py" . &&
adthresh -f json --maps maps-f4.tiff --masks masks-u1.tiff &&
for pair in "f4.tiff u1.tiff" "f4.tiff b1.tiff" "f8.tiff u1.tiff" "f8.tiff b1.tiff" \
	"f4.tiff u1.npy" "f8.npy b1.tiff"; do
	set -- $pair
	adthresh -f json --maps maps-$1 --masks masks-$2 >tiff.json 2>&1
	adthresh -f json --maps maps-${1%.*}.npy --masks masks-${2%.*}.npy >npy.json 2>&1
	if cmp -s tiff.json npy.json; then echo "maps-$1 masks-$2: as the NPY"; else echo "maps-$1 masks-$2: differs from the NPY"; fi
done
