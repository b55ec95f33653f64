/* Data sets and the losses over them (see data.h): the CSV reader with its file:line
 * messages, torch's MSE and binary cross-entropy with logits, their minima, and the
 * minibatches' shuffled order. */
#include "data.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "utf8.h"

#define GOLDEN 0x9e3779b97f4a7c15ull
#define NEWTON_STEPS 100

struct DataOrder {
    int valid;
    uint64_t seed;
    long epoch;
    uint32_t idx[];
};

static const char ROW_HELP[] = "each row is FEATURE,TARGET: two finite numbers, e.g. 2.5,4.1";

/* One comma-separated field, blanks (and CSV's double quotes) around it removed; -1 when
 * it is longer than out holds (a number that long is no number a file means). */
static int field(const char *s, size_t n, char *out, size_t len)
{
    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
        s++, n -= 2;
    const int fits = n < len;
    if (!fits)
        n = utf8_cut(s, len - 1);
    memcpy(out, s, n);
    out[n] = '\0';
    return fits ? 0 : -1;
}

#define FIELD_MAX 128 /* bytes of a field, its end included */

/* The line's two fields; -1 when it has not exactly two, -2 when one is too long. */
static int split2(const char *line, size_t n, char a[FIELD_MAX], char b[FIELD_MAX])
{
    const char *comma = memchr(line, ',', n);
    if (!comma || memchr(comma + 1, ',', n - (size_t)(comma + 1 - line)))
        return -1;
    const int fa = field(line, (size_t)(comma - line), a, FIELD_MAX);
    const int fb = field(comma + 1, n - (size_t)(comma + 1 - line), b, FIELD_MAX);
    return fa < 0 || fb < 0 ? -2 : 0;
}

/* A number as strtod reads it, the whole field; inf and nan count (they are then refused as
 * non-finite rather than taken for a header). */
static int number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return s[0] != '\0' && *end == '\0' ? 0 : -1;
}

typedef struct {
    Data *d;
    long cap;
    const char *path;
    char *err;
    size_t errlen;
} Reader;

static int fail(Reader *r, long line, const char *what)
{
    snprintf(r->err, r->errlen, "%s:%ld: %s", r->path, line, what);
    return -1;
}

static int push(Reader *r, double x, double y)
{
    Data *d = r->d;
    if (d->n == r->cap) {
        const long cap = r->cap ? 2 * r->cap : 256;
        double *nx = realloc(d->x, (size_t)cap * sizeof *nx);
        if (nx)
            d->x = nx;
        double *ny = nx ? realloc(d->y, (size_t)cap * sizeof *ny) : NULL;
        if (!ny)
            return -1;
        d->y = ny;
        r->cap = cap;
    }
    d->x[d->n] = x;
    d->y[d->n] = y;
    d->n++;
    return 0;
}

static int header(Reader *r, long line, const char *a, const char *b)
{
    const char *names[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        char what[64], e[160];
        snprintf(what, sizeof what, "column name %d", i + 1);
        if (spec_check_text(what, names[i], DATA_COLUMN_CHARS, e, sizeof e) < 0)
            return fail(r, line, e);
        snprintf(r->d->columns[i], sizeof r->d->columns[i], "%s", names[i]);
    }
    return 0;
}

/* One line that is neither blank nor a comment; the first may be a header. */
static int row(Reader *r, long line, const char *s, size_t n, int first)
{
    char a[FIELD_MAX], b[FIELD_MAX], msg[160];
    double x, y;
    const int split = split2(s, n, a, b);
    if (split == -2) {
        snprintf(msg, sizeof msg, "a field longer than %d characters (%s)", FIELD_MAX - 1, ROW_HELP);
        return fail(r, line, msg);
    }
    if (split < 0) {
        snprintf(msg, sizeof msg, "not two comma-separated columns (%s)", ROW_HELP);
        return fail(r, line, msg);
    }
    const int numeric = number(a, &x) == 0 && number(b, &y) == 0;
    if (!numeric && first && number(a, &x) < 0 && number(b, &y) < 0)
        return header(r, line, a, b);
    if (!numeric) {
        snprintf(msg, sizeof msg, "'%.30s,%.30s' is not two numbers (%s)", a, b, ROW_HELP);
        return fail(r, line, msg);
    }
    if (!isfinite(x) || !isfinite(y)) {
        snprintf(msg, sizeof msg, "non-finite value in '%.30s,%.30s' (%s)", a, b, ROW_HELP);
        return fail(r, line, msg);
    }
    if (r->d->n == DATA_ROWS_MAX) {
        snprintf(msg, sizeof msg, "more than %ld rows (at most %ld)", DATA_ROWS_MAX, DATA_ROWS_MAX);
        return fail(r, line, msg);
    }
    if (push(r, x, y) < 0)
        return fail(r, line, "out of memory");
    if (!r->d->label_line && y != 0 && y != 1) {
        r->d->label_line = line;
        r->d->label = y;
    }
    return 0;
}

static void stats(Data *d)
{
    double sx = 0, sy = 0;
    for (long i = 0; i < d->n; i++)
        sx += d->x[i], sy += d->y[i];
    d->mean_x = sx / (double)d->n;
    d->mean_y = sy / (double)d->n;
    double vx = 0, vy = 0;
    for (long i = 0; i < d->n; i++) {
        vx += (d->x[i] - d->mean_x) * (d->x[i] - d->mean_x);
        vy += (d->y[i] - d->mean_y) * (d->y[i] - d->mean_y);
    }
    d->sd_x = sqrt(vx / (double)d->n);
    d->sd_y = sqrt(vy / (double)d->n);
}

/* Least squares in closed form: w = cov(x, y) / var(x), b = mean(y) - w mean(x). */
static void mse_minimum(Data *d)
{
    double sxx = 0, sxy = 0, syy = 0;
    for (long i = 0; i < d->n; i++) {
        sxx += (d->x[i] - d->mean_x) * (d->x[i] - d->mean_x);
        sxy += (d->x[i] - d->mean_x) * (d->y[i] - d->mean_y);
        syy += (d->y[i] - d->mean_y) * (d->y[i] - d->mean_y);
    }
    d->suu = sxx, d->suv = sxy, d->svv = syy;
    d->has_mse = sxx > 0;
    if (!d->has_mse)
        return;
    d->mse_min[0] = sxy / sxx;
    d->mse_min[1] = d->mean_y - d->mse_min[0] * d->mean_x;
}

/* Whether a threshold on x splits the classes (ties included: the likelihood then has no
 * maximum either), or there is only one class. */
static int separable(const Data *d)
{
    double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
    for (long i = 0; i < d->n; i++) {
        const int c = d->y[i] != 0;
        lo[c] = fmin(lo[c], d->x[i]);
        hi[c] = fmax(hi[c], d->x[i]);
    }
    return lo[0] > hi[0] || lo[1] > hi[1] || hi[0] <= lo[1] || hi[1] <= lo[0];
}

/* Newton's method with step halving from the origin: the loss is convex, and with classes
 * that overlap it has one minimum. */
static void bce_minimum(Data *d)
{
    d->has_bce = !d->label_line && !separable(d);
    if (!d->has_bce)
        return;
    double p[2] = { 0, 0 }, f = data_value(d, DATA_BCE, 0, 0, NULL, 0);
    for (int it = 0; it < NEWTON_STEPS; it++) {
        double g[2], h[3];
        data_grad(d, DATA_BCE, p[0], p[1], NULL, 0, g);
        data_hessian(d, DATA_BCE, p[0], p[1], NULL, 0, h);
        const double det = h[0] * h[2] - h[1] * h[1];
        if (!(det > 0))
            break;
        double s[2] = { (h[2] * g[0] - h[1] * g[1]) / det, (h[0] * g[1] - h[1] * g[0]) / det };
        double t = 1, q[2], fq;
        for (int k = 0; k < 60; k++, t *= 0.5) {
            q[0] = p[0] - t * s[0], q[1] = p[1] - t * s[1];
            fq = data_value(d, DATA_BCE, q[0], q[1], NULL, 0);
            if (fq <= f)
                break;
        }
        const int done = fabs(q[0] - p[0]) <= 1e-15 * (1 + fabs(p[0])) && fabs(q[1] - p[1]) <= 1e-15 * (1 + fabs(p[1]));
        if (!(fq <= f))
            break;
        p[0] = q[0], p[1] = q[1], f = fq;
        if (done)
            break;
    }
    d->bce_min[0] = p[0];
    d->bce_min[1] = p[1];
}

/* The BCE map's points (see Data.map_x): binned, each class's mean x in a slice keeps the
 * loss's first-order term exact, so what is left grows with the slice's width squared. */
static void map_points(Data *d)
{
    if (d->n <= DATA_MAP_ROWS) {
        for (long i = 0; i < d->n; i++)
            d->map_x[i] = d->x[i], d->map_y[i] = d->y[i], d->map_w[i] = 1;
        d->map_n = (int)d->n;
        return;
    }
    enum { SLICES = DATA_MAP_ROWS / 2 };
    double lo = d->x[0], hi = d->x[0], sum[SLICES][2] = { { 0 } }, count[SLICES][2] = { { 0 } };
    for (long i = 1; i < d->n; i++)
        lo = fmin(lo, d->x[i]), hi = fmax(hi, d->x[i]);
    const double width = hi > lo ? (hi - lo) / SLICES : 1;
    for (long i = 0; i < d->n; i++) {
        const int k = (int)fmin(SLICES - 1, floor((d->x[i] - lo) / width)), c = d->y[i] != 0;
        sum[k][c] += d->x[i];
        count[k][c] += 1;
    }
    d->map_n = 0;
    for (int k = 0; k < SLICES; k++)
        for (int c = 0; c < 2; c++)
            if (count[k][c] > 0) {
                d->map_x[d->map_n] = sum[k][c] / count[k][c];
                d->map_y[d->map_n] = c;
                d->map_w[d->map_n++] = count[k][c];
            }
}

static Data *finish(Reader *r, long lines)
{
    Data *d = r->d;
    char msg[160];
    if (d->n < 2) {
        snprintf(msg, sizeof msg, "%s: %ld data rows; at least 2 are needed (%s)", d->n ? "too few" : "empty", d->n,
                 ROW_HELP);
        fail(r, lines, msg);
        data_free(d);
        return NULL;
    }
    d->order = malloc(sizeof *d->order + (size_t)d->n * sizeof d->order->idx[0]);
    if (!d->order) {
        fail(r, lines, "out of memory");
        data_free(d);
        return NULL;
    }
    d->order->valid = 0;
    stats(d);
    mse_minimum(d);
    bce_minimum(d);
    map_points(d);
    return d;
}

Data *data_parse(const char *text, const char *path, char *err, size_t errlen)
{
    Data *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    snprintf(d->path, sizeof d->path, "%s", path);
    Reader r = { .d = d, .path = path, .err = err, .errlen = errlen };
    long line = 0;
    int first = 1;
    if (strncmp(text, "\xef\xbb\xbf", 3) == 0) /* the byte order mark spreadsheets write */
        text += 3;
    for (const char *p = text; *p;) {
        const size_t n = strcspn(p, "\n");
        line++;
        size_t blank = 0;
        while (blank < n && (p[blank] == ' ' || p[blank] == '\t' || p[blank] == '\r'))
            blank++;
        if (blank < n && p[blank] != '#') {
            if (row(&r, line, p, n, first) < 0) {
                data_free(d);
                return NULL;
            }
            first = 0;
        }
        p += n + (p[n] == '\n');
    }
    return finish(&r, line > 0 ? line : 1);
}

void data_free(Data *d)
{
    if (!d)
        return;
    free(d->x);
    free(d->y);
    free(d->order);
    free(d);
}

const Data *data_store_get(DataStore *s, const char *name, char *err, size_t errlen)
{
    for (int i = 0; i < s->count; i++)
        if (strcmp(s->names[i], name) == 0)
            return s->sets[i];
    if (!s->read) {
        snprintf(err, errlen, "'%.200s': no data files can be read here", name);
        return NULL;
    }
    if (s->count == DATA_STORE_MAX) {
        snprintf(err, errlen, "'%.200s': at most %d data files in one run", name, DATA_STORE_MAX);
        return NULL;
    }
    char path[DATA_NAME_MAX], *text;
    if (s->read(name, path, sizeof path, &text, err, errlen) < 0)
        return NULL;
    Data *d = data_parse(text, path, err, errlen);
    free(text);
    if (!d)
        return NULL;
    s->sets[s->count] = d;
    snprintf(s->names[s->count], sizeof s->names[s->count], "%s", name);
    return s->sets[s->count++];
}

void data_store_free(DataStore *s)
{
    for (int i = 0; i < s->count; i++)
        data_free(s->sets[i]);
    s->count = 0;
}

int data_check(const Data *d, DataLoss loss, char *err, size_t errlen)
{
    if (loss != DATA_BCE || !d->label_line)
        return 0;
    char got[40];
    spec_format_number(got, sizeof got, d->label);
    snprintf(err, errlen, "%s:%ld: logreg needs labels 0 or 1 as targets, got %s", d->path, d->label_line, got);
    return -1;
}

/* max(z, 0) - z y + log1p(exp(-|z|)): torch's binary_cross_entropy_with_logits, stable. */
static double bce(double z, double y)
{
    return fmax(z, 0) - z * y + log1p(exp(-fabs(z)));
}

static double sigmoid(double z)
{
    return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

double data_value(const Data *d, DataLoss loss, double w, double b, const uint32_t *idx, long m)
{
    const long n = idx ? m : d->n;
    double s = 0;
    for (long k = 0; k < n; k++) {
        const long i = idx ? (long)idx[k] : k;
        const double z = w * d->x[i] + b;
        s += loss == DATA_MSE ? (z - d->y[i]) * (z - d->y[i]) : bce(z, d->y[i]);
    }
    return s / (double)n;
}

void data_grad(const Data *d, DataLoss loss, double w, double b, const uint32_t *idx, long m, double g[2])
{
    const long n = idx ? m : d->n;
    double gw = 0, gb = 0;
    for (long k = 0; k < n; k++) {
        const long i = idx ? (long)idx[k] : k;
        const double z = w * d->x[i] + b;
        const double r = loss == DATA_MSE ? 2 * (z - d->y[i]) : sigmoid(z) - d->y[i];
        gw += r * d->x[i];
        gb += r;
    }
    g[0] = gw / (double)n;
    g[1] = gb / (double)n;
}

void data_row(const Data *d, DataLoss loss, const double *ws, int n, double b, double *out)
{
    const double rows = (double)d->n;
    if (loss == DATA_MSE) {
        /* With u = x - mean x, v = y - mean y and c = b + w mean x - mean y, the cross terms
         * sum to zero: mean((w u + c - v)^2) = (w^2 Suu - 2 w Suv + Svv) / n + c^2. */
        for (int k = 0; k < n; k++) {
            const double w = ws[k], c = b + w * d->mean_x - d->mean_y;
            out[k] = fmax(0, (w * w * d->suu - 2 * w * d->suv + d->svv) / rows) + c * c; /* no -1e-14 on an exact line */
        }
        return;
    }
    for (int k = 0; k < n; k++) {
        double s = 0;
        for (int i = 0; i < d->map_n; i++)
            s += d->map_w[i] * bce(ws[k] * d->map_x[i] + b, d->map_y[i]);
        out[k] = s / rows;
    }
}

void data_hessian(const Data *d, DataLoss loss, double w, double b, const uint32_t *idx, long m, double h[3])
{
    const long n = idx ? m : d->n;
    double hww = 0, hwb = 0, hbb = 0;
    for (long k = 0; k < n; k++) {
        const long i = idx ? (long)idx[k] : k;
        double c = 2;
        if (loss == DATA_BCE) {
            const double s = sigmoid(w * d->x[i] + b);
            c = s * (1 - s);
        }
        hww += c * d->x[i] * d->x[i];
        hwb += c * d->x[i];
        hbb += c;
    }
    h[0] = hww / (double)n;
    h[1] = hwb / (double)n;
    h[2] = hbb / (double)n;
}

int data_minimum(const Data *d, DataLoss loss, double out[2])
{
    const int has = loss == DATA_MSE ? d->has_mse : d->has_bce;
    if (has)
        memcpy(out, loss == DATA_MSE ? d->mse_min : d->bce_min, 2 * sizeof out[0]);
    return has;
}

void data_home(const Data *d, DataLoss loss, double view[4], double start[2])
{
    double c[2] = { 0, 0 };
    const int has = data_minimum(d, loss, c);
    const double sx = d->sd_x > 0 ? d->sd_x : 1;
    /* A slope's natural size is sd(y)/sd(x) for a fit, 1/sd(x) for logits; the bias then
     * moves with mean(x) times the slope along the valley. */
    const double slope = loss == DATA_MSE ? fmax(d->sd_y, 1e-3) / sx : 3 / sx;
    const double hw = fmax(has ? 1.5 * fabs(c[0]) : 0, 2 * slope);
    const double hb = fmax(fmax(has ? 1.5 * fabs(c[1]) : 0, loss == DATA_MSE ? 2 * fmax(d->sd_y, 1e-3) : 3),
                           fabs(d->mean_x) * hw);
    view[0] = c[0] - hw, view[1] = c[0] + hw;
    view[2] = c[1] - hb, view[3] = c[1] + hb;
    start[0] = c[0] - 0.75 * hw;
    start[1] = c[1] + 0.75 * hb;
}

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += GOLDEN);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

long data_batches(const Data *d, long size)
{
    return (d->n + size - 1) / size;
}

long data_batch(const Data *d, uint64_t seed, long epoch, long k, long size, const uint32_t **rows)
{
    struct DataOrder *o = d->order;
    if (!o->valid || o->seed != seed || o->epoch != epoch) {
        /* Each shuffle draws n - 1 numbers, so epoch e starts e (n - 1) draws in. */
        uint64_t s = seed + (uint64_t)epoch * (uint64_t)(d->n - 1) * GOLDEN;
        for (long i = 0; i < d->n; i++)
            o->idx[i] = (uint32_t)i;
        for (long i = d->n - 1; i > 0; i--) {
            const long j = (long)(next(&s) % (uint64_t)(i + 1));
            const uint32_t t = o->idx[i];
            o->idx[i] = o->idx[j];
            o->idx[j] = t;
        }
        o->valid = 1, o->seed = seed, o->epoch = epoch;
    }
    *rows = o->idx + k * size;
    return k * size + size <= d->n ? size : d->n - k * size;
}
