printf '[{"s": 0.2, "y": 0}]' | adthresh --score-col s --label-col S
