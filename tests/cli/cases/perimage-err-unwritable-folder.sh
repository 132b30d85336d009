# A folder no file can be created in: a read-only one, or for root, whom
# permissions do not stop, sysfs.  Nothing is written, the report neither.
d=$(mktemp -d) && mkdir "$d/ro" && chmod 555 "$d/ro" && if touch "$d/ro/probe" 2>/dev/null; then rm -f "$d/ro/probe"; dir=/sys; else dir="$d/ro"; fi; adthresh -o "$d/r.txt" --per-image "$dir/p.csv" data/scores.csv 2>"$d/err"; echo "exit $?"; sed "s|$dir|FOLDER|g" "$d/err"; ls -A "$d"; ls -A "$d/ro"
