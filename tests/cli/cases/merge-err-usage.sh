# What --merge, --save-counts and --shard refuse before reading anything.
for args in "--merge" "--merge --maps m.npy a.adtc" "--merge --policy f1 a.adtc" \
	"--merge --batch a.adtc" "--merge --per-image p.csv a.adtc" \
	"--shard 1/2 data/scores.csv" "--shard 0/2 --save-counts a.adtc data/scores.csv" \
	"--shard 3/2 --save-counts a.adtc data/scores.csv" "--shard 1 --save-counts a.adtc data/scores.csv" \
	"--shard 1/2x --save-counts a.adtc data/scores.csv" \
	"--save-counts a.adtc -o r.txt data/scores.csv" "--save-counts a.adtc -f json data/scores.csv" \
	"--save-counts a.adtc --curves c.csv data/scores.csv" "--save-counts a.adtc --gate image.f1=0.5 data/scores.csv" \
	"--save-counts a.adtc --batch data" "--save-counts a.adtc --per-image p.csv data/scores.csv" \
	"--save-counts a.adtc --maps data/bottle --masks data/bottle --aupimo" \
	"--save-counts - -o - data/scores.csv" "--save-counts= data/scores.csv"; do
	echo "\$ adthresh $args"
	adthresh $args
	echo "exit $?"
done
