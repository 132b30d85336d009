/* Running one function on several threads (see parallel.h). */
#define _GNU_SOURCE /* sched_getaffinity */
#include "adthresh/parallel.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#define MAX_THREADS 64

unsigned adt_parallel_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
#ifdef CPU_COUNT
	cpu_set_t set;

	/* A container or taskset may allow fewer processors than are online. */
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		n = CPU_COUNT(&set);
#endif

	if (n < 1)
		return 1;
	return n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

struct job {
	void (*fn)(void *arg, unsigned i);
	void *arg;
	unsigned i;
};

static void *trampoline(void *p)
{
	struct job *j = p;

	j->fn(j->arg, j->i);
	return NULL;
}

void adt_parallel_run(unsigned n, void (*fn)(void *arg, unsigned i), void *arg)
{
	pthread_t tid[MAX_THREADS];
	struct job job[MAX_THREADS];
	int started[MAX_THREADS] = {0};

	if (n > MAX_THREADS)
		n = MAX_THREADS;
	for (unsigned i = 1; i < n; i++) {
		job[i] = (struct job){fn, arg, i};
		started[i] = pthread_create(&tid[i], NULL, trampoline, &job[i]) == 0;
	}
	if (n > 0)
		fn(arg, 0);
	for (unsigned i = 1; i < n; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			fn(arg, i);
	}
}
