# 0.98, 1e-05 and a threshold of 17 digits: each number in its shortest
# exact form, and the threshold read back reproduces the counts.
cd "$TMPDIR" && { echo score,label; i=0; while [ $i -lt 49 ]; do echo 0.30000000000000004,1; i=$((i + 1)); done; echo 1e-05,1; echo 0.30000000000000004,0; i=0; while [ $i -lt 10 ]; do echo 0.2,0; i=$((i + 1)); done; } >s.csv && adthresh --format json --save-thresholds t.json s.csv && cat t.json && adthresh --thresholds t.json --format csv s.csv
