printf 'image,gt\na.png,0\n' | adthresh
