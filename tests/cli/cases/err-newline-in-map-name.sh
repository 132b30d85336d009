cd "$TMPDIR" && mkdir -p nl/maps nl/masks && printf "II*\000" >"$(printf "nl/maps/0\n00.tiff")" && adthresh --maps nl/maps --masks nl/masks
