printf 'filename,score\nlot1/OK/1.png,0.2\nlot1/normal/2.png,0.3\nlot1/NG/3.png,0.8\nlot1\\scratch\\4.png,0.7\n' | adthresh -f csv
