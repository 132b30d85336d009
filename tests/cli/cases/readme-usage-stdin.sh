cat data/scores.json | adthresh -
