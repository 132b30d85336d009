# A label must be 0 or 1 exactly as written: values that only round to
# 0 or 1 as doubles are unknown labels.
printf 'score,label\n0.1,0\n0.5,0.99999999999999999999\n0.7,1e-400\n0.3,1\n0.9,1.0000000000000001\n' | adthresh
