printf 'image_path,score,label\na/good/1.png,0.9,1\na/crack/2.png,0.1,0\na/good/3.png,0.8,1\n' | adthresh -f csv
