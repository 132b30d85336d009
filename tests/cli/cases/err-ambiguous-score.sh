printf 'score,pred_score,label\n0.1,0.2,0\n' | adthresh
