adthresh --fail-under pixel.f1=0.9,image.auroc=1 --gate 'image.fn<=0,pixel.fn>=1' --maps tests/cli/inputs/px/mvtec/maps --masks tests/cli/inputs/px/mvtec/masks tests/cli/inputs/px/mvtec/scores.csv
