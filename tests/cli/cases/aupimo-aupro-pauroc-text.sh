# Every optional metric a column of the table, with a line on what each holds.
adthresh --maps data/bottle --masks data/bottle --aupro --max-fpr 0.2 --aupimo=0.0001:0.01 data/bottle/scores.csv
