# The pages of a stacked TIFF are images of one sample type.
top=$PWD && mkdir -p "$TMPDIR/tiffs" && cd "$TMPDIR/tiffs" &&
	/usr/bin/python3 "$top/tests/cli/inputs/px/stack/tiffs.py" . &&
adthresh --maps pages-type.tiff --masks masks3.tiff
