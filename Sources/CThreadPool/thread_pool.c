#include "thread_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#define CPU_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

enum { MAX_WORKERS = 63 };
/// A waiting worker spins this long, then yields its core to other runnable threads between
/// checks (on a busy machine they need it), then sleeps after SPIN_NANOSECONDS in all.
static const long PAUSE_NANOSECONDS = 20000;
static const long SPIN_NANOSECONDS = 100000;

/// One call's parts. Lives on the caller's stack; the caller returns only when no worker holds it.
typedef struct {
    long parts;
    void *context;
    void (*body)(void *, long);
    atomic_long next;        /// the next part to hand out
    atomic_long unfinished;  /// parts not yet done
} Job;

static _Atomic(Job *) current;      /// the running job, NULL between jobs
static atomic_long generation;      /// counts jobs, so a worker joins each one once
static atomic_long busy;            /// workers between looking at `current` and leaving its job
static atomic_long sleepers;
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t submit_lock = PTHREAD_MUTEX_INITIALIZER;  /// one job at a time
static atomic_int wanted_threads = 1;
static int started_workers;
static _Thread_local int inside_part;

static long now_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void run_parts(Job *job) {
    long part;
    while ((part = atomic_fetch_add(&job->next, 1)) < job->parts) {
        job->body(job->context, part);
        atomic_fetch_sub(&job->unfinished, 1);
    }
}

static int has_new_job(long seen) {
    return atomic_load(&current) != NULL && atomic_load(&generation) != seen;
}

static void *worker_main(void *argument) {
    long index = (long)argument;  /// 0 for the first worker
    long seen = 0;
    inside_part = 1;
    for (;;) {
        long start = now_nanoseconds(), waited = 0;
        for (long spins = 1; !has_new_job(seen); spins++) {
            if (waited < PAUSE_NANOSECONDS) CPU_RELAX(); else sched_yield();
            if (spins % 64 == 0) waited = now_nanoseconds() - start;
            if (waited > SPIN_NANOSECONDS) {
                pthread_mutex_lock(&sleep_lock);
                atomic_fetch_add(&sleepers, 1);
                while (!has_new_job(seen)) pthread_cond_wait(&wake, &sleep_lock);
                atomic_fetch_sub(&sleepers, 1);
                pthread_mutex_unlock(&sleep_lock);
            }
        }
        // `busy` is raised before `current` is read: the caller clears `current` and then waits
        // for `busy` to fall, so a job is never used after its caller returned.
        atomic_fetch_add(&busy, 1);
        Job *job = atomic_load(&current);
        long observed = atomic_load(&generation);
        if (job != NULL && observed != seen) {
            seen = observed;
            // Workers beyond the current thread count (it was lowered) sit jobs out.
            if (index < atomic_load(&wanted_threads) - 1) run_parts(job);
        }
        atomic_fetch_sub(&busy, 1);
    }
    return NULL;
}

void viral_pool_set_threads(int threads) { atomic_store(&wanted_threads, threads < 1 ? 1 : threads); }

void viral_pool_run(long parts, void *context, void (*body)(void *, long)) {
    int threads = atomic_load(&wanted_threads);
    if (parts <= 0) return;
    if (parts == 1 || threads == 1 || inside_part || pthread_mutex_trylock(&submit_lock) != 0) {
        for (long part = 0; part < parts; part++) body(context, part);
        return;
    }
    while (started_workers < threads - 1 && started_workers < MAX_WORKERS) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, worker_main, (void *)(long)started_workers) != 0) break;
        pthread_detach(thread);
        started_workers++;
    }
    Job job = {.parts = parts, .context = context, .body = body};
    atomic_init(&job.next, 0);
    atomic_init(&job.unfinished, parts);
    atomic_fetch_add(&generation, 1);
    atomic_store(&current, &job);
    if (atomic_load(&sleepers) > 0) {
        pthread_mutex_lock(&sleep_lock);
        pthread_cond_broadcast(&wake);
        pthread_mutex_unlock(&sleep_lock);
    }
    inside_part = 1;
    run_parts(&job);
    inside_part = 0;
    while (atomic_load(&job.unfinished) > 0) CPU_RELAX();
    atomic_store(&current, NULL);
    while (atomic_load(&busy) > 0) CPU_RELAX();
    pthread_mutex_unlock(&submit_lock);
}
