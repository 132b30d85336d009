printf 'score,quality\n0.1,0\n' | adthresh
