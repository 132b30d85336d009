printf 'ID,Prediction,Y_True\na,0.2,0\nb,0.8,1\nc,0.6,0\n' | adthresh -f csv
