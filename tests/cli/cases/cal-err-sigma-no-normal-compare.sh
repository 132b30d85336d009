printf 'score,label\n0.5,1\n0.25,1\n' | adthresh - --policy sigma:1 --allow-one-class --compare-policies --format json
