# A maps folder of 4000 bytes that does not exist: the message names it whole.
cd "$TMPDIR" && c=$(printf 'd%0198d' 0) && p= && for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do p=$p$c/; done && mkdir -p "$p" masks && adthresh --maps "${p}$(printf 'missing%0193d' 0)" --masks masks
