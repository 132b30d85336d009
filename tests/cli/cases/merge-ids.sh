# Image ids: an empty one is kept; one longer than a counts file keeps is
# refused when saving, not when merging.
d=$(mktemp -d "$TMPDIR/x.XXXXXX") && cp -r data "$d" && cd "$d" || exit 1
printf 'image_path,label,score\n,1,0.9\nb,0,0.3\nc,1,0.5\n' >empty.csv
adthresh empty.csv --save-counts e.adtc; echo "exit $?"
adthresh --merge e.adtc -f csv; echo "exit $?"
/usr/bin/python3 -c 'print("image_path,label,score\n" + "x" * 5000 + ",1,0.9\nb,0,0.3")' >long.csv
adthresh long.csv --save-counts l.adtc; echo "exit $?"
ls
