printf 'label,target,score\n0,0,0.1\n' | adthresh
