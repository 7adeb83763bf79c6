#ifndef VIRAL_THREAD_POOL_H
#define VIRAL_THREAD_POOL_H

/// Runs `body(context, part)` for every part in 0..<parts on the pool's threads and the calling
/// thread, and returns when all have run. Workers that finish a job wait for the next one
/// spinning for a short while (100 µs, yielding their core after the first 20 µs) before
/// sleeping, so that the next job, usually a few microseconds later, starts without a wake-up
/// (a futex wake and a context switch: tens of microseconds in a VM).
/// Calls made from inside a part, or while another thread's job runs, run their parts serially.
void viral_pool_run(long parts, void *context, void (*body)(void *context, long part));

/// The number of threads a job uses, the caller included (workers are started on first use).
void viral_pool_set_threads(int threads);

#endif
