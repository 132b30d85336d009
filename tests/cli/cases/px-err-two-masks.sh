adthresh --maps tests/cli/inputs/px/pairing/twomasks --masks tests/cli/inputs/px/pairing/twomasks
