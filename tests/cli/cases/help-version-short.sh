adthresh -V
