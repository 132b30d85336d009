T=$(mktemp -d) && cd "$T" && adthresh --plot p.jpg no-such-scores.csv; echo "exit $?"; adthresh --maps no-such-maps --masks no-such-masks --plot p.svg.gz; echo "exit $?"; ls -A
