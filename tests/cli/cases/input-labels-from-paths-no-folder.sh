printf 'path,score\na/good/1.png,0.2\n2.png,0.8\n' | adthresh
