{ printf 'image_path,score,label\na.png,0.1,0\n'; head -c 2000000 /dev/zero | tr '\0' x; printf ',0.5,1\n'; } | adthresh
