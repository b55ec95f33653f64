#include "parallel.h"

#include <pthread.h>

void parallel_run(void *parts, size_t size, int n, void *(*work)(void *))
{
    char *p = parts;
    pthread_t tid[PARALLEL_MAX];
    int started[PARALLEL_MAX] = {0};
    n = n < 1 ? 1 : n > PARALLEL_MAX ? PARALLEL_MAX : n;
    for (int i = 1; i < n; i++) {
        started[i] = pthread_create(&tid[i], NULL, work, p + (size_t)i * size) == 0;
        if (!started[i])
            work(p + (size_t)i * size);
    }
    work(p);
    for (int i = 1; i < n; i++)
        if (started[i])
            pthread_join(tid[i], NULL);
}
