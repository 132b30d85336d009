# In a result folder each file is one image: a stacked NPY there is an
# error, not its first image.
top=$PWD && mkdir -p "$TMPDIR/tiffs" && cd "$TMPDIR/tiffs" &&
	/usr/bin/python3 "$top/tests/cli/inputs/px/stack/tiffs.py" . &&
adthresh --maps folder-npy --masks folder-npy
