printf '[{"s": 0.2, "y": 0}, {"s": 0.8, "y": 1}]' | adthresh --score-col t --label-col y
