printf 'path,filename,score,label\na,b,0.1,0\n' | adthresh
