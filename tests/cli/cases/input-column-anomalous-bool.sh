printf 'file,pred_scores,anomalous\na,0.2,False\nb,0.8,True\nc,0.6,FALSE\n' | adthresh -f csv
