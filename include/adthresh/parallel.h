/* Running one function on several threads. */
#ifndef ADTHRESH_PARALLEL_H
#define ADTHRESH_PARALLEL_H

/* The number of threads to use by default: the processors online, at
 * least 1, at most 64. */
unsigned adt_parallel_default(void);

/* Calls fn(arg, i) for i in 0..n-1, each on its own thread (i = 0 on the
 * calling thread).  n == 1 runs fn inline.  If a thread cannot be started
 * its share runs on the calling thread afterwards, so every index runs
 * exactly once. */
void adt_parallel_run(unsigned n, void (*fn)(void *arg, unsigned i), void *arg);

#endif
