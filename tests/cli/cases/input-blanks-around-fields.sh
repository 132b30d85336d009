printf ' score , label \n 0.2 , 0 \n0.8,  1\n' | adthresh -f csv
