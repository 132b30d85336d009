printf 'file,score,label\n"a\nb\nc",0.1,0\nd,oops,1\n' | adthresh
