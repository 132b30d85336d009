# A stack of maps: the ids are the indices, in no folder.
adthresh --maps tests/cli/inputs/px/stack/maps.npy --masks tests/cli/inputs/px/stack/masks.npy --per-image - -o /dev/null
