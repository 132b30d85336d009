cd "$TMPDIR" && printf "score,label\n\"0.1\r\n\t\001\",0\n0.9,1\n" >s.csv && adthresh s.csv
