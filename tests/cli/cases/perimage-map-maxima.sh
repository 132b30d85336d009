# Image scores from float32 map maxima, printed so that they read back as
# the same double.
adthresh --maps data/bottle --masks data/bottle --map-maxima --rule gt --per-image - -o /dev/null
