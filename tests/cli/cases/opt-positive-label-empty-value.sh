printf 'score,status\n0.1,pass\n0.9,fail\n0.5,\n' | adthresh --label-col status --positive-label fail
