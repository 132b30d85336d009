printf '"scores.csv"\n' | adthresh --input-format json
