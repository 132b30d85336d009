printf 'score,label\n' | adthresh
