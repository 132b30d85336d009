adthresh -f json tests/cli/inputs/array.json
