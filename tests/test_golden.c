/* Reference pictures: a few headless renders kept in tests/data/golden/ and compared pixel
 * by pixel, so that any change to how the picture looks is seen. A mismatch leaves
 * NAME-actual.png and NAME-diff.png in build/golden/ to look at; after a deliberate visual
 * change, `make golden` records them again (OPTISCOPE_GOLDEN_UPDATE=1). The text is part of
 * the picture, so the references hold where fontconfig's sans-serif is DejaVu Sans, which the
 * deps step installs; elsewhere they are skipped with a note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fontconfig/fontconfig.h>

#include "check.h"
#include "pngio.h"
#include "proc.h"

#define GOLDEN_DIR "tests/data/golden"
#define ACTUAL_DIR "build/golden"
/* Channels may differ by this much anywhere (rounding in another libm or zlib) ... */
#define GOLDEN_SLACK 2
/* ... and by more on at most this fraction of the pixels. */
#define GOLDEN_FRACTION 2e-4
#define GOLDEN_FONT "DejaVu Sans"

static const struct {
    const char *name;
    const char *args;
} goldens[] = {
    { "default-dark", "--size 800x500 --steps 300" },
    { "ravine-light-plots", "--scene assets/scenes/momentum_ravine.scene --theme light --size 800x500 --steps 300" },
    { "saddle-arrows", "--scene assets/scenes/saddle_escape.scene --size 800x500 --steps 150" },
    { "himmelblau-2x", "--function himmelblau --optimizer adam:lr=0.1 --optimizer sgd:lr=0.01 --panels contours,plots "
                       "--size 640x400 --scale 2 --steps 300" },
    { "classroom-720p", "--scene assets/scenes/four_schedules.scene --size 1280x720 --font-scale 1.5 --theme light "
                        "--steps 300" },
    { "portrait-band", "--scene assets/scenes/momentum_ravine.scene --size 540x960 --steps 200 --panels "
                       "contours,plots,colorbar,axes,caption" },
    { "diverged-badge", "--function rosenbrock --optimizer sgd:lr=1 --optimizer adam:lr=0.05 --size 800x500 --steps 50" },
    { "why-basins", "--function himmelblau --optimizer sgd:lr=0.015 --optimizer adam:lr=0.1 --size 800x500 --steps 40 "
                    "--panels contours,axes,curvature,sharpness,gradnorm,basins --legend compact" },
};

static int channel_diff(uint32_t a, uint32_t b)
{
    int worst = 0;
    for (int shift = 0; shift < 24; shift += 8) {
        const int d = abs((int)((a >> shift) & 0xff) - (int)((b >> shift) & 0xff));
        worst = d > worst ? d : worst;
    }
    return worst;
}

/* Red where a pixel differs beyond the slack, the expected picture faded elsewhere. */
static void write_diff(const char *path, int w, int h, const uint32_t *want, const uint32_t *got)
{
    uint32_t *px = malloc((size_t)w * (size_t)h * sizeof *px);
    if (!px)
        return;
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++) {
        const uint32_t g = ((want[i] >> 16 & 0xff) + (want[i] >> 8 & 0xff) + (want[i] & 0xff)) / 12 + 160;
        px[i] = channel_diff(want[i], got[i]) > GOLDEN_SLACK ? 0xffff0000u : 0xff000000u | g << 16 | g << 8 | g;
    }
    pngio_write(path, w, h, px);
    free(px);
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[1 << 16];
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static void check_golden(const char *name, const char *args, int update)
{
    char actual[256], want_path[256], diff[256], line[1024];
    snprintf(actual, sizeof actual, ACTUAL_DIR "/%s-actual.png", name);
    snprintf(want_path, sizeof want_path, GOLDEN_DIR "/%s.png", name);
    snprintf(diff, sizeof diff, ACTUAL_DIR "/%s-diff.png", name);
    snprintf(line, sizeof line, "--headless %s --screenshot %s", args, actual);
    ProcResult r;
    proc_run_line(line, 60, &r);
    CHECK(r.status == 0, "%s: exit %d: %s", name, r.status, r.err);
    proc_free(&r);
    if (update) {
        CHECK(copy_file(actual, want_path) == 0, "%s: cannot record %s", name, want_path);
        return;
    }
    int w, h, ww, wh;
    uint32_t *got = NULL, *want = NULL;
    if (pngio_read(actual, &w, &h, &got) < 0 || pngio_read(want_path, &ww, &wh, &want) < 0) {
        CHECK(0, "%s: cannot read %s or %s (make golden records the references)", name, actual, want_path);
    } else if (w != ww || h != wh) {
        CHECK(0, "%s: %dx%d, the reference is %dx%d", name, w, h, ww, wh);
    } else {
        long off = 0;
        int worst = 0;
        for (size_t i = 0; i < (size_t)w * (size_t)h; i++) {
            const int d = channel_diff(want[i], got[i]);
            off += d > GOLDEN_SLACK;
            worst = d > worst ? d : worst;
        }
        const int same = off <= (long)(GOLDEN_FRACTION * w * h);
        if (!same)
            write_diff(diff, w, h, want, got);
        CHECK(same, "%s: %ld pixels differ from %s by more than %d (up to %d); see %s and %s", name, off, want_path,
              GOLDEN_SLACK, worst, actual, diff);
        if (same) {
            remove(actual);
            remove(diff);
        }
    }
    free(got);
    free(want);
}

/* The family fontconfig gives for the program's text, as src/render/text.c asks for it. */
static void sans_family(char *out, size_t len)
{
    snprintf(out, len, "(none)");
    FcPattern *pat = FcNameParse((const FcChar8 *)"sans-serif:weight=regular");
    if (!pat)
        return;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result;
    FcPattern *match = FcFontMatch(NULL, pat, &result);
    FcChar8 *family = NULL;
    if (match && FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch)
        snprintf(out, len, "%s", (const char *)family);
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    FcFini(); /* the test process asks nothing else of fontconfig */
}

void test_golden(void)
{
    const char *env = getenv("OPTISCOPE_GOLDEN_UPDATE");
    const int update = env && strcmp(env, "1") == 0;
    char family[128];
    sans_family(family, sizeof family);
    if (strcmp(family, GOLDEN_FONT) != 0) {
        fprintf(stderr, "golden: skipped, the references are drawn in " GOLDEN_FONT " and sans-serif here is %s\n",
                family);
        return;
    }
    mkdir("build", 0755);
    mkdir(ACTUAL_DIR, 0755);
    for (size_t i = 0; i < sizeof goldens / sizeof goldens[0]; i++)
        check_golden(goldens[i].name, goldens[i].args, update);
    if (update)
        fprintf(stderr, "recorded %zu reference pictures in " GOLDEN_DIR "\n", sizeof goldens / sizeof goldens[0]);
}
