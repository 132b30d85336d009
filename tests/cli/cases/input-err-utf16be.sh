printf '\000s\000c\000o\000r\000e\000,\000l\000a\000b\000e\000l\000\n\0000\000.\0001\000,\0000\000\n' >"$TMPDIR/s.json" && cd "$TMPDIR" && adthresh s.json
