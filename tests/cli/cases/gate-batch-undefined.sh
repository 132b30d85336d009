adthresh --batch --image-threshold 0.85 --fail-under 'mean.image.precision=0.5,*.image.precision=0.5,mean.image.recall=0.25' tests/cli/inputs/batch/scores
