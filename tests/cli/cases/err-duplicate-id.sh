printf 'image_path,score,label\na/good/1.png,0.1,0\na/bad/2.png,0.9,1\na/good/1.png,0.2,0\n' | adthresh
