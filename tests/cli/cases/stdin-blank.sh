printf '\n  \n\t\n' | adthresh -
