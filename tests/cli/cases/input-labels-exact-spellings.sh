# Every spelling whose exact decimal value is 0 or 1 is a label: 0, 1,
# 0.0, 1.0, 1., .0, 1e0, 10e-1, 0.1e1, +1, -0, 00, 0e999, 1.000e+00.
printf 'score,label\n0.1,0\n0.2,0.0\n0.3,.0\n0.4,-0\n0.5,00\n0.6,0e999\n0.7,1\n0.8,1.0\n0.9,1.\n1.0,1e0\n1.1,10e-1\n1.2,0.1e1\n1.3,+1\n1.4,1.000e+00\n0.15,+0.0\n' | adthresh --format json
