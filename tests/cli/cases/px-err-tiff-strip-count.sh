# A float32 map in 3 strips whose StripOffsets tag lists 2 offsets: libtiff
# warns and reads the third strip from byte 0.  Corrupt, not pixels.
top=$PWD && mkdir -p "$TMPDIR/tiffs" && cd "$TMPDIR/tiffs" &&
	/usr/bin/python3 "$top/tests/cli/inputs/px/stack/tiffs.py" . &&
adthresh --maps strips-count.tiff --masks mask-5x6.npy
