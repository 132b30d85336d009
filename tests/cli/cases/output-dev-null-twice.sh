adthresh -o /dev/null --save-thresholds /dev/null --curves /dev/null data/scores.csv; echo "exit $?"
