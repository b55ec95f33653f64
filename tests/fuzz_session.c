/* libFuzzer target: what a lesson and a class can do to a live session. The input is
 * ARGS \0 SCENE \0 ACTIONS: arguments one a line (as fuzz_cli), the scene that --scene
 * reads, then four bytes an action (kind, argument, x, y) or a burst of steps. Afterwards
 * the view must be valid, every point finite, and the state dump strict JSON. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/config.h"
#include "../src/session/session.h"
#include "fuzz_input.h"
#include "json.h"

#define FUZZ_MAX_ACTIONS 400
#define FUZZ_MAX_STEPS 3000
#define FUZZ_ACTION_KINDS ACTION_COUNT

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next part of buf up to a NUL, or the rest. */
static const char *part(const char **p, const char *end)
{
    const char *start = *p;
    const char *nul = memchr(start, '\0', (size_t)(end - start));
    *p = nul ? nul + 1 : end;
    return start;
}

/* Pixel coordinates across and beyond the map; zoom factors from 1/8 to 8 and odd ones. */
static Action decode(const uint8_t *a, const Session *ses)
{
    static const double factors[] = { 0, -1, 1, 1e300, 1e-300, NAN, INFINITY };
    Action act = { .kind = (ActionKind)(a[0] % FUZZ_ACTION_KINDS), .arg = (int)a[1] - 16 };
    act.x = ses->view.px + (a[2] - 32) / 192.0 * ses->view.pw;
    act.y = ses->view.py + (a[3] - 32) / 192.0 * ses->view.ph;
    if (act.kind == ACTION_PAN) {
        act.x = ((int)a[2] - 128) * (a[1] & 1 ? 1e3 : 1);
        act.y = ((int)a[3] - 128) * (a[1] & 2 ? 1e3 : 1);
    }
    act.factor = a[1] < 7 ? factors[a[1]] : pow(2, (a[1] - 128) / 42.0);
    return act;
}

static void check_session(const Session *ses)
{
    if (!view_box_ok(view_box(&ses->view)))
        __builtin_trap();
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    session_dump_json(ses, NULL, f);
    fclose(f);
    if (json_validate(text, len, NULL) < 0) {
        fprintf(stderr, "invalid JSON dump:\n%s\n", text);
        __builtin_trap();
    }
    free(text);
}

/* The layout's new map box, as the shell sends it. */
static void resize_map(Session *ses, double x, double y, double w, double h)
{
    const Action a = session_map_box(x, y, w, h);
    session_apply(ses, &a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 2);
    memcpy(buf, data, size);
    buf[size] = buf[size + 1] = '\0';
    const char *p = buf, *end = buf + size;
    char *args = (char *)part(&p, end);
    fuzz_scene_text = part(&p, end);
    const uint8_t *actions = (const uint8_t *)p;
    const size_t nactions = (size_t)(end - p) / 4;

    char *argv[FUZZ_MAX_ARGS];
    const int argc = fuzz_split_args(args, argv);
    static Config c;
    static Session ses;
    char err[512];
    config_defaults(&c);
    if (config_parse_args(&c, argc, argv, fuzz_read_scene, err, sizeof err) == 0 && config_finish(&c, err, sizeof err) == 0 &&
        session_init(&ses, &c, 40, 30, c.width - 80, c.height - 60, err, sizeof err) == 0) {
        long steps = 0;
        for (size_t i = 0; i < nactions && i < FUZZ_MAX_ACTIONS; i++) {
            const uint8_t *a = actions + 4 * i;
            if (a[0] >= 240) { /* a burst of steps, as the clock would run them */
                for (int k = 0; k < a[1] && steps < FUZZ_MAX_STEPS; k++, steps++)
                    session_step(&ses);
                continue;
            }
            if (a[0] >= 224) {
                resize_map(&ses, a[1], a[2], 1 + a[3] * 16.0, 1 + a[1] * 12.0);
                continue;
            }
            const Action act = decode(a, &ses);
            session_apply(&ses, &act);
        }
        for (int i = 0; i < ses.sim.nruns; i++)
            if (!ses.sim.runs[i].diverged && (!isfinite(ses.sim.runs[i].x) || !isfinite(ses.sim.runs[i].y)))
                __builtin_trap();
        check_session(&ses);
    }
    session_release(&ses); /* what session_init allocated for the static session */
    ses.timeline = NULL;
    free(buf);
    return 0;
}
