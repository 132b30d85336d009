printf 'score,label\n5,0\n5,1\n5,1\n' | adthresh --rule gt -f json
