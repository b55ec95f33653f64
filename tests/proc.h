/* Runs the real program as a child process for behaviour tests: argv in, exit status,
 * stdout and stderr out, killed after a timeout so a hang fails instead of blocking. */
#ifndef OPTISCOPE_TEST_PROC_H
#define OPTISCOPE_TEST_PROC_H

#include <stddef.h>

typedef struct {
    int status;   /* exit status; 128+N when killed by signal N; -1 when it could not start */
    int timed_out;
    char *out, *err; /* NUL-terminated, malloc'd */
    size_t out_len, err_len;
    long max_rss_kb; /* the child's peak resident memory */
} ProcResult;

/* The program under test, set from the command line of the test runner. */
extern const char *proc_binary;

/* Runs proc_binary with args (NULL-terminated, without argv[0]). */
int proc_run(const char *const *args, double timeout_s, ProcResult *r);
/* Splits an argument string at spaces, keeping what single quotes hold together as the
 * shell does, and runs it. */
int proc_run_line(const char *line, double timeout_s, ProcResult *r);
void proc_free(ProcResult *r);
/* A file the program wrote, whole, as a malloc'd NUL-terminated string; NULL when it
 * cannot be read. */
char *proc_read_file(const char *path);

#endif
