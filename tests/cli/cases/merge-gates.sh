# Gates, outputs and formats belong to the merge, which exits 1 on an
# unmet gate as any run does.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
for k in 1 2; do adthresh --maps data/bottle --masks data/bottle --shard $k/2 --save-counts s$k.adtc || exit 1; done
adthresh --merge s1.adtc s2.adtc --fail-under pixel.f1=0.99 --save-thresholds t.json --curves c.csv -f markdown
echo "exit $?"; head -c 200 t.json; echo; head -n 3 c.csv
