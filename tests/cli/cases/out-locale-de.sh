LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8 adthresh -f json data/scores.csv
