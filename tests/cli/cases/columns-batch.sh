# A batch with chosen columns: text, CSV (the mean rows' category 'mean', n empty) and Markdown.
for f in text csv markdown; do adthresh --batch --maps tests/cli/inputs/batch/mvtec/results --masks tests/cli/inputs/batch/mvtec/dataset --aupro --columns category,level,n,threshold,f1,aupro --format $f || exit; done
