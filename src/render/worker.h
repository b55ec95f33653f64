/* A background thread that sleeps until woken, started on first use and stopped once: the
 * exact map's (refine.c) and the basin map's (why.c). Its loop holds `lock` while it reads
 * what it is asked, waits on `wake`, and ends once `quit` is set. */
#ifndef OPTISCOPE_WORKER_H
#define OPTISCOPE_WORKER_H

#include <pthread.h>

typedef struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int started, quit;
} Worker;

void worker_init(Worker *w);
/* Starts run(arg) on the thread unless it runs already; returns whether it runs. */
int worker_start(Worker *w, void *(*run)(void *), void *arg);
/* Sets quit, wakes the thread and waits for it to end, then frees the lock. */
void worker_stop(Worker *w);

#endif
