printf '[{"s": 0.2, "y": 0}, {"s": 0.8, "y": 1}, {"s": 0.5, "y": 1}]' | adthresh --score-col s --label-col y -f csv
