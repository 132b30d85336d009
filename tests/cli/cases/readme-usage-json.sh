adthresh --format json data/scores.json
