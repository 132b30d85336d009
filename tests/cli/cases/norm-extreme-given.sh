# The threshold at the lowest score: min reads 0.5, max 1.
printf 'score,label\n1e308,1\n-1.7976931348623157e308,0\n1.7976931348623157e308,1\n' | adthresh --normalize minmax --format json --image-threshold -1.7976931348623157e308
