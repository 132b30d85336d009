# Four pages of maps, three of masks.
top=$PWD && mkdir -p "$TMPDIR/tiffs" && cd "$TMPDIR/tiffs" &&
	/usr/bin/python3 "$top/tests/cli/inputs/px/stack/tiffs.py" . &&
adthresh --maps maps-f4.tiff --masks masks3.tiff
