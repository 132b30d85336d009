printf 'score,label\n0.2,good\n0.8,defective\n0.6,Good\n0.7,bad\n0.9,abnormal\n0.3,anomaly\n' | adthresh -f csv
