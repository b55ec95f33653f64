/* Child-process runner for the behaviour tests (see proc.h). */
#define _DEFAULT_SOURCE /* wait4, for the child's peak memory */
#include "proc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *proc_binary = "build/optiscope";

static char *slurp(FILE *f, size_t *len)
{
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)(n > 0 ? n : 0) + 1);
    *len = n > 0 ? fread(buf, 1, (size_t)n, f) : 0;
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

int proc_run(const char *const *args, double timeout_s, ProcResult *r)
{
    memset(r, 0, sizeof *r);
    FILE *out = tmpfile(), *err = tmpfile();
    int argc = 0;
    while (args[argc])
        argc++;
    char **argv = calloc((size_t)argc + 2, sizeof *argv);
    argv[0] = (char *)proc_binary;
    for (int i = 0; i < argc; i++)
        argv[i + 1] = (char *)args[i];
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fileno(out), 1);
        dup2(fileno(err), 2);
        execv(proc_binary, argv);
        _exit(127);
    }
    free(argv);
    int status = 0;
    struct rusage use;
    memset(&use, 0, sizeof use);
    struct timespec nap = { 0, 2000000 };
    for (double waited = 0;; waited += 0.002) {
        pid_t done = wait4(pid, &status, WNOHANG, &use);
        if (done == pid)
            break;
        if (waited > timeout_s) {
            kill(pid, SIGKILL);
            wait4(pid, &status, 0, &use);
            r->timed_out = 1;
            break;
        }
        nanosleep(&nap, NULL);
    }
    r->max_rss_kb = use.ru_maxrss;
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r->out = slurp(out, &r->out_len);
    r->err = slurp(err, &r->err_len);
    return r->status;
}

/* Splits line in place at spaces outside single quotes, which go as the shell's do (a
 * reference case's `--schedule 'expr:if(a, b, c)'`); returns how many arguments. */
static int split_line(char *line, const char **args, int max)
{
    int n = 0;
    char *in = line;
    while (*in && n < max) {
        while (*in == ' ')
            in++;
        if (!*in)
            break;
        char *out = in;
        args[n++] = out;
        for (int quoted = 0; *in && (quoted || *in != ' '); in++) {
            if (*in == '\'')
                quoted = !quoted;
            else
                *out++ = *in;
        }
        if (*in)
            in++;
        *out = '\0';
    }
    return n;
}

int proc_run_line(const char *line, double timeout_s, ProcResult *r)
{
    char *copy = strdup(line);
    const char *args[64];
    const int n = split_line(copy, args, 63);
    args[n] = NULL;
    int rc = proc_run(args, timeout_s, r);
    free(copy);
    return rc;
}

void proc_free(ProcResult *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

char *proc_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    const long n = ftell(f);
    rewind(f);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf)
        buf[fread(buf, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return buf;
}
