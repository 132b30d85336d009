printf 'image_path,label,score\na.png,1,0.9\nb.png,0,0.1\n' | adthresh --per-defect -
