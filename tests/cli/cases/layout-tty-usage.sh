# No SCORES and a terminal on standard input: the usage, not a silent wait.
command -v script >/dev/null 2>&1 || { echo "skip: no script(1)"; exit 77; }
t=$(mktemp -d "$TMPDIR/x.XXXXXX") && cd "$t" || exit 1
timeout 20 script -qec adthresh /dev/null >tty.txt
echo "exit $?"
tr -d '\r' <tty.txt
timeout 20 script -qec 'adthresh -v --format json' /dev/null >tty.txt
echo "exit $?"
tr -d '\r' <tty.txt
printf 'score,label\n0.2,0\n0.9,1\n' | adthresh
echo "exit $?"
