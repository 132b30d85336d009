# A float32 map whose second strip starts at byte 0, inside the header.
top=$PWD && mkdir -p "$TMPDIR/tiffs" && cd "$TMPDIR/tiffs" &&
	/usr/bin/python3 "$top/tests/cli/inputs/px/stack/tiffs.py" . &&
adthresh --maps strips-zero.tiff --masks mask-5x6.npy
