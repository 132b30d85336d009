d=$(mktemp -d) && adthresh --curves - -o /nonexistent/x.txt data/scores.csv; echo "exit $?"
