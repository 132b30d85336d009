# --max-pixels bounds the pixels of all the pages of a stacked TIFF
# together: four pages of 64 pixels are over a limit of 200.
top=$PWD && mkdir -p "$TMPDIR/tiffs" && cd "$TMPDIR/tiffs" &&
	/usr/bin/python3 "$top/tests/cli/inputs/px/stack/tiffs.py" . &&
adthresh --max-pixels 200 --maps maps-f4.tiff --masks masks-b1.tiff
