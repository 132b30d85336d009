adthresh --maps data/bottle --masks data/bottle --curves /nonexistent/c.csv data/bottle/scores.csv
