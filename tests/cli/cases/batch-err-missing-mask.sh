cd "$TMPDIR" && rm -rf mm && cp -r "$OLDPWD/tests/cli/inputs/batch/mvtec" mm && rm mm/dataset/screw/ground_truth/scratch/001_mask.png && adthresh --batch --maps mm/results --masks mm/dataset
