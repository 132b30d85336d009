adthresh --input-format csv -f csv tests/cli/inputs/noext
