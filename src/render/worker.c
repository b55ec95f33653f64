/* The background thread's start and stop (see worker.h). */
#include "worker.h"

void worker_init(Worker *w)
{
    w->started = w->quit = 0;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
}

int worker_start(Worker *w, void *(*run)(void *), void *arg)
{
    if (!w->started)
        w->started = pthread_create(&w->thread, NULL, run, arg) == 0;
    return w->started;
}

void worker_stop(Worker *w)
{
    if (w->started) {
        pthread_mutex_lock(&w->lock);
        w->quit = 1;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->lock);
        pthread_join(w->thread, NULL);
        w->started = 0;
    }
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
}
