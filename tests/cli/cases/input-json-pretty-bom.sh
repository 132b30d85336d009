printf '\357\273\277[\r\n {"score": 0.2, "label": 0},\r\n {"score": 0.8, "label": 1}\r\n]\r\n' | adthresh -f csv
