adthresh --columns f1,threshold,level,tp,fp data/scores.csv && adthresh --columns threshold,policy,rule,source --format csv data/scores.csv
