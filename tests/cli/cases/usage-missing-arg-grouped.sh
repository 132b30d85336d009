adthresh -qf
