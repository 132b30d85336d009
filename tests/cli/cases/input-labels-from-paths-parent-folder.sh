printf 'path,score\nx/good/1.png,0.1\nx/good/sub/2.png,0.2\nx/crack/3.png,0.9\n' | adthresh -f csv
