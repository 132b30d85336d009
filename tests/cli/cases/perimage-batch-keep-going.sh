# The category that failed has no rows; the others are listed.
cd "$TMPDIR" && rm -rf mm && cp -r "$OLDPWD/tests/cli/inputs/batch/mvtec" mm && rm mm/dataset/screw/ground_truth/scratch/001_mask.png && adthresh --batch --keep-going --maps mm/results --masks mm/dataset --per-image - -o /dev/null
