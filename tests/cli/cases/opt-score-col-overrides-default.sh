printf 'score,other,label\n0.9,0.1,0\n0.1,0.9,1\n' | adthresh --score-col other -f csv
