/* Losses over data (src/core/data.c): the CSV reader, least squares' closed form, logistic
 * regression's gradient and separable classes, the minibatches two runs share, and stepping
 * back through minibatched runs bit for bit. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/core/data.h"
#include "../src/core/func.h"
#include "../src/session/session.h"
#include "check.h"
#include "proc.h"

#define LINE "tests/data/reference/line.csv"
#define CLASSES "tests/data/reference/classes.csv"

/* A DataReadFile for the tests: names are paths. */
static int read_path(const char *name, char *path, size_t pathlen, char **text, char *err, size_t errlen)
{
    snprintf(path, pathlen, "%s", name);
    *text = proc_read_file(name);
    if (!*text)
        snprintf(err, errlen, "cannot read '%s'", name);
    return *text ? 0 : -1;
}

static Data *parse(const char *text)
{
    char err[256];
    Data *d = data_parse(text, "inline.csv", err, sizeof err);
    CHECK(d != NULL, "inline data: %s", err);
    return d;
}

static void check_reader(void)
{
    Data *d = parse("# a comment\nhours, \"score\"\n1,2\n\n2.5, 4\r\n# more\n3,6.5\n");
    if (!d)
        return;
    CHECK(d->n == 3 && d->x[1] == 2.5 && d->y[2] == 6.5, "three rows read: %ld", d->n);
    CHECK(strcmp(d->columns[0], "hours") == 0 && strcmp(d->columns[1], "score") == 0, "the header names '%s', '%s'",
          d->columns[0], d->columns[1]);
    CHECK(d->label_line == 2 + 1, "the first target not 0 or 1 is on line 3: %ld", d->label_line);
    data_free(d);
    d = parse("\xef\xbb\xbfw,v\r\n1,0\r\n2,1\r\n");
    CHECK(d && d->n == 2 && strcmp(d->columns[0], "w") == 0, "a spreadsheet's CSV: byte order mark, CRLF");
    data_free(d);
    char err[256];
    CHECK(data_parse("1,2\n", "one.csv", err, sizeof err) == NULL && strstr(err, "one.csv:1: too few"),
          "one row is too few: '%s'", err);
}

/* The minimum of mean((w x + b - y)^2) solves the normal equations. */
static void check_linreg_minimum(void)
{
    DataStore store = { .read = read_path };
    char err[256];
    Spec f;
    CHECK(spec_parse(&func_table, "linreg:data=" LINE, &f, err, sizeof err) == 0 &&
              func_bind_data(&f, &store, err, sizeof err) == 0,
          "linreg binds: %s", err);
    const Data *d = f.data;
    if (!d)
        return;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (long i = 0; i < d->n; i++)
        sx += d->x[i], sy += d->y[i], sxx += d->x[i] * d->x[i], sxy += d->x[i] * d->y[i];
    const double n = (double)d->n, det = n * sxx - sx * sx;
    const double w = (n * sxy - sx * sy) / det, b = (sxx * sy - sx * sxy) / det;
    double m[FUNC_MAX_MINIMA][2], g[2];
    CHECK(func_minima(&f, m) == 1 && fabs(m[0][0] - w) < 1e-12 && fabs(m[0][1] - b) < 1e-12,
          "the minimum (%.17g, %.17g) is least squares' (%.17g, %.17g)", m[0][0], m[0][1], w, b);
    func_grad(&f, m[0][0], m[0][1], g);
    CHECK(hypot(g[0], g[1]) < 1e-12, "the gradient vanishes there: %g", hypot(g[0], g[1]));
    CHECK(func_no_minimum(&f) == NULL && strcmp(func_axis_name(&f, 0), "w") == 0, "a minimum, axes w and b");
    const double ws[3] = { -2, w, 5 };
    double row[3];
    func_row(&f, ws, 3, b + 0.5, row);
    for (int k = 0; k < 3; k++) {
        const double v = func_value(&f, ws[k], b + 0.5);
        CHECK(fabs(row[k] - v) <= 1e-12 * v, "the map's closed form at w = %g: %.17g vs %.17g", ws[k], row[k], v);
    }
    WorldBox view;
    double start[2];
    func_home(&f, &view, start);
    CHECK(view.x0 < w && w < view.x1 && view.y0 < b && b < view.y1, "the home view holds the minimum");
    data_store_free(&store);
}

/* Gradient and Hessian of the cross-entropy against central differences, and its minimum. */
static void check_logreg(void)
{
    DataStore store = { .read = read_path };
    char err[256];
    Spec f;
    CHECK(spec_parse(&func_table, "logreg:data=" CLASSES, &f, err, sizeof err) == 0 &&
              func_bind_data(&f, &store, err, sizeof err) == 0,
          "logreg binds: %s", err);
    if (!f.data)
        return;
    const double pts[3][2] = { { 1, -1 }, { -2, 0.5 }, { 4, 3 } }, h = 1e-6;
    for (int k = 0; k < 3; k++) {
        const double x = pts[k][0], y = pts[k][1];
        double g[2], hs[3], gx[2], gy[2], gx0[2], gy0[2];
        func_grad(&f, x, y, g);
        func_hessian(&f, x, y, hs);
        const double dx = (func_value(&f, x + h, y) - func_value(&f, x - h, y)) / (2 * h);
        const double dy = (func_value(&f, x, y + h) - func_value(&f, x, y - h)) / (2 * h);
        CHECK(fabs(dx - g[0]) < 1e-7 && fabs(dy - g[1]) < 1e-7, "logreg gradient at (%g, %g): (%g, %g) vs (%g, %g)", x,
              y, g[0], g[1], dx, dy);
        func_grad(&f, x + h, y, gx), func_grad(&f, x - h, y, gx0);
        func_grad(&f, x, y + h, gy), func_grad(&f, x, y - h, gy0);
        CHECK(fabs((gx[0] - gx0[0]) / (2 * h) - hs[0]) < 1e-6 && fabs((gy[0] - gy0[0]) / (2 * h) - hs[1]) < 1e-6 &&
                  fabs((gy[1] - gy0[1]) / (2 * h) - hs[2]) < 1e-6,
              "logreg Hessian at (%g, %g)", x, y);
    }
    double m[FUNC_MAX_MINIMA][2], g[2];
    CHECK(func_minima(&f, m) == 1, "overlapping classes have a minimum");
    func_grad(&f, m[0][0], m[0][1], g);
    CHECK(hypot(g[0], g[1]) < 1e-10, "Newton's minimum has no gradient: %g", hypot(g[0], g[1]));
    data_store_free(&store);
}

static void check_separable(void)
{
    Data *d = parse("x,label\n-2,0\n-1,0\n1,1\n3,1\n");
    if (!d)
        return;
    Spec f;
    spec_parse(&func_table, "logreg:data=inline.csv", &f, NULL, 0);
    f.data = d;
    double m[FUNC_MAX_MINIMA][2];
    const char *why = func_no_minimum(&f);
    CHECK(func_minima(&f, m) == 0 && why && strstr(why, "no minimum: the classes are separable"),
          "separable classes: no minimum, said so: '%s'", why ? why : "(null)");
    data_free(d);
    ProcResult r;
    proc_run_line("--headless --function logreg:data=separable --steps 2 --dump-state build/test-data-separable.json", 10, &r);
    char *dump = proc_read_file("build/test-data-separable.json");
    CHECK(r.status == 0 && dump && strstr(dump, "\"no_minimum\": \"no minimum: the classes are separable\"") &&
              strstr(dump, "\"message\": \"no minimum: the classes are separable\""),
          "the shipped separable set: the dump and the message say there is no minimum (exit %d)", r.status);
    free(dump);
    proc_free(&r);
}

/* Over DATA_MAP_ROWS rows the cross-entropy's map is drawn from weighted points: close to the
 * exact loss, which the runs and the trace use. */
static void check_big_map(void)
{
    enum { N = 5000 };
    char *text = malloc(N * 32);
    size_t used = 0;
    for (int i = 0; i < N; i++) {
        const double x = 4.0 * sin(i * 12.9898); /* spread over [-4, 4], no generator needed */
        used += (size_t)snprintf(text + used, 32, "%.6f,%d\n", x, (i * 7919 % 100) < 50 + 10 * x);
    }
    Data *d = parse(text);
    free(text);
    if (!d)
        return;
    const double ws[3] = { -1, 0.5, 3 };
    double row[3];
    data_row(d, DATA_BCE, ws, 3, 0.2, row);
    for (int k = 0; k < 3; k++) {
        const double v = data_value(d, DATA_BCE, ws[k], 0.2, NULL, 0);
        CHECK(fabs(row[k] - v) <= 1e-3 * v, "the map of %d rows at w = %g: %.6g vs %.6g", N, ws[k], row[k], v);
    }
    data_free(d);
}

/* Every epoch's batches cover the rows once; the same seed gives the same batches. */
static void check_batches(void)
{
    Data *d = parse("1,1\n2,2\n3,3\n4,4\n5,5\n6,6\n7,7\n");
    if (!d)
        return;
    for (long e = 0; e < 3; e++) {
        int seen[7] = { 0 };
        const uint32_t *rows;
        long total = 0;
        for (long k = 0; k < data_batches(d, 3); k++) {
            const long m = data_batch(d, 42, e, k, 3, &rows);
            CHECK(m == (k < 2 ? 3 : 1), "batch %ld of 7 rows by 3 has %ld rows", k, m);
            for (long i = 0; i < m; i++)
                seen[rows[i]]++, total++;
        }
        int once = total == 7;
        for (int i = 0; i < 7; i++)
            once &= seen[i] == 1;
        CHECK(once, "epoch %ld covers every row once", e);
    }
    uint32_t first[3];
    const uint32_t *rows;
    data_batch(d, 9, 2, 1, 3, &rows);
    memcpy(first, rows, sizeof first);
    data_batch(d, 10, 0, 0, 3, &rows); /* another order in between */
    data_batch(d, 9, 2, 1, 3, &rows);
    CHECK(memcmp(first, rows, sizeof first) == 0, "the same seed and epoch give the same batch again");
    data_free(d);
}

static Session *make(DataStore *store, const char *const *opts, int n)
{
    Config c;
    char err[256];
    config_defaults(&c);
    c.data = store;
    c.seed = 7;
    int ok = config_apply(&c, "function", "linreg:data=" LINE, CONFIG_FROM_ARGS, err, sizeof err) == 0;
    for (int i = 0; i < n && ok; i++)
        ok = config_apply(&c, "optimizer", opts[i], CONFIG_FROM_ARGS, err, sizeof err) == 0;
    ok = ok && config_finish(&c, err, sizeof err) == 0;
    Session *ses = calloc(1, sizeof *ses);
    CHECK(ok && session_init(ses, &c, 0, 0, 800, 600, err, sizeof err) == 0, "session: %s", err);
    return ses;
}

static int same_runs(const Session *a, const Session *b)
{
    for (int i = 0; i < a->sim.nruns; i++) {
        const Run *p = &a->sim.runs[i], *q = &b->sim.runs[i];
        if (memcmp(&p->x, &q->x, sizeof p->x) || memcmp(&p->y, &q->y, sizeof p->y) ||
            memcmp(&p->loss, &q->loss, sizeof p->loss) || p->epoch != q->epoch || p->batch != q->batch)
            return 0;
    }
    return a->tick == b->tick;
}

/* Two runs with one batch size see the same batches: the same steps. Stepping back and Home
 * reach, bit for bit, the states the runs first had. */
static void check_runs(void)
{
    DataStore store = { .read = read_path };
    const char *opts[] = { "sgd:lr=0.05,batch_size=5", "sgd:lr=0.05,batch_size=5", "adam:lr=0.1,batch_size=3" };
    Session *a = make(&store, opts, 3), *b = make(&store, opts, 3);
    for (int i = 0; i < 37; i++) {
        session_step(a);
        session_step(b);
    }
    const Run *r = a->sim.runs;
    CHECK(r[0].x == r[1].x && r[0].y == r[1].y, "one batch size, one seed: the same steps");
    CHECK(r[0].epoch == 7 && r[0].batch == 2 && r[2].epoch == 4 && r[2].batch == 5,
          "37 batches of 5 from 24 rows: epoch 7, batch 2 (%ld, %ld); of 3: epoch 4, batch 5 (%ld, %ld)", r[0].epoch,
          r[0].batch, r[2].epoch, r[2].batch);
    const History *h = &a->hist[0];
    CHECK(h->n > 0 && h->batch_loss[h->n - 1] == r[0].batch_loss && r[0].batch_loss != r[0].loss,
          "the loss plot's history keeps a minibatched run's batch loss beside its loss");
    for (int i = 0; i < 13; i++)
        session_step(a);
    for (int i = 0; i < 13; i++) {
        const Action back = { .kind = ACTION_STEP_BACK };
        session_apply(a, &back);
    }
    CHECK(same_runs(a, b), "50 steps and 13 back equal 37 steps, bit for bit");
    const Action home = { .kind = ACTION_REWIND };
    session_apply(a, &home);
    Session *c = make(&store, opts, 3);
    CHECK(same_runs(a, c), "Home is the fresh start");
    for (int i = 0; i < 40; i++) {
        session_step(a);
        session_step(c);
    }
    CHECK(same_runs(a, c), "and forward again takes the same batches");
    session_free(a);
    session_free(b);
    session_free(c);
    data_store_free(&store);
}

void test_data(void)
{
    check_reader();
    check_linreg_minimum();
    check_logreg();
    check_separable();
    check_big_map();
    check_batches();
    check_runs();
}
