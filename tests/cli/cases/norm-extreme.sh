# max - min overflows a double here: the normalisation must not (exactly:
# min 0, max 0.785125314467904...).
printf 'score,label\n1e308,1\n-1e308,0\n1.7976931348623157e308,1\n' | adthresh --normalize minmax --format json
