/* Trajectories against torch.optim: every case in tests/data/reference and reference_extra is
 * run through the real command line (`--headless ARGS --trace -`) and compared row by row to 1e-9
 * relative to max(1, |value|), for x, y, loss and lr. A case's `{dir}` is its folder, where the
 * data files it reads lie (CSV files without the "# args: " line, which are not cases). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "proc.h"

#define REF_TOL 1e-9
#define MAX_ROWS 5000

typedef struct {
    int n;
    double v[MAX_ROWS][4]; /* x, y, loss, lr */
    long step[MAX_ROWS];
} Rows;

/* Reads rows "step,x,y,loss,lr" (skip_run: the first column is the run label). */
static void parse_rows(char *text, int skip_run, Rows *rows)
{
    rows->n = 0;
    int header = 1;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        if (header) {
            header = 0;
            continue;
        }
        char *p = line;
        if (skip_run)
            p = strchr(p, ',') + 1;
        if (rows->n == MAX_ROWS)
            return;
        rows->step[rows->n] = strtol(p, &p, 10);
        for (int c = 0; c < 4; c++)
            rows->v[rows->n][c] = strtod(p + 1, &p);
        rows->n++;
    }
}

/* The case's arguments as the command line gets them, {dir} replaced (proc_run_line then
 * reads the shell's single quotes). */
static void case_line(const char *args, const char *dir, char *line, size_t len)
{
    size_t used = (size_t)snprintf(line, len, "--headless ");
    for (const char *p = args; *p && *p != '\n' && used + 1 < len; p++) {
        if (strncmp(p, "{dir}", 5) == 0) {
            used += (size_t)snprintf(line + used, len - used, "%s", dir);
            p += 4;
        } else {
            line[used++] = *p;
        }
    }
    if (used >= len)
        used = len - 1;
    snprintf(line + used, len - used, " --trace -");
}

static void check_case(const char *dir, const char *name, char *text)
{
    static Rows want, got;
    char line[1024];
    case_line(text + strlen("# args: "), dir, line, sizeof line);
    parse_rows(text, 0, &want);
    free(text);

    ProcResult r;
    proc_run_line(line, 20, &r);
    CHECK(r.status == 0, "%s: exit %d: %s", name, r.status, r.err);
    parse_rows(r.out, 1, &got);
    proc_free(&r);
    CHECK(got.n == want.n, "%s: %d rows, torch has %d", name, got.n, want.n);
    const char *cols[4] = { "x", "y", "loss", "lr" };
    for (int i = 0; i < want.n && i < got.n; i++) {
        for (int c = 0; c < 4; c++) {
            double a = want.v[i][c], b = got.v[i][c];
            if (!(fabs(a - b) <= REF_TOL * fmax(1.0, fabs(a))) || got.step[i] != want.step[i]) {
                CHECK(0, "%s: step %ld: %s %.17g vs torch %.17g", name, want.step[i], cols[c], b, a);
                return;
            }
        }
    }
    CHECK(1, "%s", name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int check_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char *names[256];
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < 256;) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".csv") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    int cases = 0;
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *text = proc_read_file(path);
        CHECK(text != NULL, "%s: unreadable", path);
        if (text && strncmp(text, "# args: ", 8) == 0) {
            check_case(dir, names[i], text);
            cases++;
        } else {
            free(text);
        }
        free(names[i]);
    }
    return cases;
}

void test_reference(void)
{
    int n = check_dir("tests/data/reference");
    CHECK(n >= 44, "expected the 44 shared reference cases, found %d", n);
    check_dir("tests/data/reference_extra");
}
