/* Tests for src/core/basin.c: Himmelblau's four basins at a small lr, each holding its
 * minimum; the same labels on one thread and on several; divergence; cancelling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/core/basin.h"
#include "../src/core/func.h"
#include "../src/core/optim.h"
#include "../src/core/sched.h"
#include "check.h"
#include "pngio.h"
#include "proc.h"

static void job_for(BasinJob *job, const char *func, const char *opt, WorldBox box, int side)
{
    Spec f, o, s;
    char err[256];
    spec_parse(&func_table, func, &f, err, sizeof err);
    optim_parse(opt, &o, err, sizeof err);
    spec_defaults(&sched_table, 0, &s);
    basin_job(job, &f, &o, &s, box, side);
}

static int stop_now(void *ctx)
{
    (void)ctx;
    return 1;
}

static void check_himmelblau(void)
{
    static BasinMap one, two;
    char err[160];
    CHECK(basin_init(&one, err, sizeof err) == 0 && basin_init(&two, err, sizeof err) == 0, "%s", err);
    const WorldBox box = { -5, 5, -5, 5 };
    BasinJob job;
    job_for(&job, "himmelblau", "sgd:lr=0.005", box, 48);
    CHECK(job.nx == 48 && job.ny == 48, "a square grid: %d x %d", job.nx, job.ny);
    CHECK(basin_compute(&one, &job, 1, NULL, NULL) == 0, "computed");
    CHECK(one.nknown == 4 && one.nminima == 4, "four known minima, none found besides: %d", one.nminima);
    for (int k = 0; k < 4; k++) {
        CHECK(one.count[k] > 48 * 48 / 20, "basin %d holds %d cells", k, one.count[k]);
        CHECK(basin_label_at(&one, one.minima[k][0], one.minima[k][1]) == k, "minimum %d lies in its own basin", k);
    }
    CHECK(one.diverged == 0, "nothing diverges at lr 0.005: %d", one.diverged);
    CHECK(basin_compute(&two, &job, 3, NULL, NULL) == 0 &&
              memcmp(one.label, two.label, (size_t)job.nx * (size_t)job.ny) == 0,
          "the same labels on three threads");
    /* A larger lr moves the borders. */
    BasinJob fast;
    job_for(&fast, "himmelblau", "sgd:lr=0.02", box, 48);
    CHECK(basin_compute(&two, &fast, 2, NULL, NULL) == 0 &&
              memcmp(one.label, two.label, (size_t)job.nx * (size_t)job.ny) != 0,
          "lr 0.02 draws other borders than lr 0.005");
    CHECK(basin_compute(&two, &job, 2, stop_now, NULL) == -1, "a cancelled job says so");
    char json[1024];
    basin_json(&one, json, sizeof json);
    CHECK(strstr(json, "\"grid\": [48, 48]") && strstr(json, "[3, 2, ") && strstr(json, "\"diverged\": 0"),
          "json: %s", json);
    basin_free(&one);
    basin_free(&two);
}

static void check_diverged(void)
{
    static BasinMap m;
    char err[160];
    basin_init(&m, err, sizeof err);
    const WorldBox box = { -2, 2, -1, 3 };
    BasinJob job;
    job_for(&job, "rosenbrock", "sgd:lr=0.004", box, 24);
    basin_compute(&m, &job, 2, NULL, NULL);
    CHECK(m.diverged > 0 && m.count[0] + m.unconverged > 0, "rosenbrock at lr 0.004: %d diverged, %d reached, %d not",
          m.diverged, m.count[0], m.unconverged);
    CHECK(basin_label_at(&m, -1.9, 2.9) == BASIN_DIVERGED, "a steep corner diverges");
    /* A function without known minima finds them: quadratic's origin is known; saddle has none to find. */
    job_for(&job, "saddle", "sgd:lr=0.01", box, 16);
    basin_compute(&m, &job, 2, NULL, NULL);
    CHECK(m.nminima == 0 && m.count[0] == 0, "a saddle has no minimum to reach");
    basin_free(&m);
}

/* The program's own picture and dump: four basins, each tinted its own way around its
 * minimum, and the dump's summary with a share of the cells for each. */
static void check_picture(void)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/optiscope-basin-%ld.png", (long)getpid());
    char line[512];
    snprintf(line, sizeof line, "--headless --function himmelblau --optimizer sgd:lr=0.005 --panels basins --legend hidden "
             "--size 640x640 --steps 1 --dump-state - --screenshot %s", path);
    ProcResult r;
    proc_run_line(line, 60, &r);
    CHECK(r.status == 0, "status %d: %s", r.status, r.err);
    const char *b = r.out ? strstr(r.out, "\"basins\": {\"grid\": [") : NULL;
    CHECK(b != NULL, "the dump has the basin map");
    double map[4] = { 0 }, view[4] = { 0 };
    const char *m = r.out ? strstr(r.out, "\"map_pixels\": [") : NULL, *v = r.out ? strstr(r.out, "\"view\": [") : NULL;
    CHECK(m && sscanf(m, "\"map_pixels\": [%lf, %lf, %lf, %lf]", &map[0], &map[1], &map[2], &map[3]) == 4 && v &&
              sscanf(v, "\"view\": [%lf, %lf, %lf, %lf]", &view[0], &view[1], &view[2], &view[3]) == 4,
          "map and view in the dump");
    int cells[4] = { 0 };
    if (b) {
        const char *p = strstr(b, "\"minima\": [");
        for (int k = 0; p && k < 4; k++) {
            double x, y;
            p = strchr(p + 1, '[');
            if (p && p[1] == '[')
                p++;
            if (!p || sscanf(p, "[%lf, %lf, %d]", &x, &y, &cells[k]) != 3)
                break;
        }
        CHECK(strstr(b, "\"diverged\": 0") != NULL, "nothing diverges at lr 0.005");
    }
    for (int k = 0; k < 4; k++)
        CHECK(cells[k] > 1000, "basin %d has %d cells in the dump", k, cells[k]);
    int w = 0, h = 0;
    uint32_t *px = NULL;
    CHECK(pngio_read(path, &w, &h, &px) == 0, "the picture reads back");
    static const double minima[4][2] = { { 3, 2 }, { -2.805, 3.131 }, { -3.779, -3.283 }, { 3.584, -1.848 } };
    uint32_t seen[4] = { 0 };
    for (int k = 0; px && k < 4; k++) {
        /* A little beside the minimum's cross, towards the view's centre. */
        const double x = minima[k][0] * 0.85, y = minima[k][1] * 0.85;
        const int sx = (int)(map[0] + (x - view[0]) / (view[1] - view[0]) * map[2]);
        const int sy = (int)(map[1] + (view[3] - y) / (view[3] - view[2]) * map[3]);
        seen[k] = px[sy * w + sx];
        for (int j = 0; j < k; j++)
            CHECK(seen[j] != seen[k], "basins %d and %d look alike: %06x", j, k, seen[k] & 0xffffff);
    }
    free(px);
    unlink(path);
    proc_free(&r);
}

void test_basin(void)
{
    check_picture();
    check_himmelblau();
    check_diverged();
}
