# A strip of the second page starts at byte 0: the error names the image.
top=$PWD && mkdir -p "$TMPDIR/tiffs" && cd "$TMPDIR/tiffs" &&
	/usr/bin/python3 "$top/tests/cli/inputs/px/stack/tiffs.py" . &&
adthresh --maps page2-zero.tiff --masks masks3.tiff
