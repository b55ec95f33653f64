/* Data sets for the losses over data (linreg, logreg): a CSV of (feature, target) rows read
 * from a buffer the shell hands over, the losses with their gradients and Hessians (over all
 * rows or a minibatch), their minima, and the minibatches a run draws. */
#ifndef OPTISCOPE_DATA_H
#define OPTISCOPE_DATA_H

#include <stddef.h>
#include <stdint.h>

#define DATA_ROWS_MAX 1000000L
#define DATA_NAME_MAX 512
#define DATA_COLUMN_CHARS 31 /* characters of a header's column name ... */
#define DATA_COLUMN_MAX (4 * DATA_COLUMN_CHARS + 1) /* ... and the bytes they may take (UTF-8) */
#define DATA_STORE_MAX 16
#define DATA_MAP_ROWS 256 /* logreg's map over more rows is drawn from this many weighted points */

/* Which loss over the data a function is: torch's F.mse_loss of w·x + b against y, or
 * F.binary_cross_entropy_with_logits of w·x + b against labels y in {0, 1}. */
typedef enum { DATA_NONE, DATA_MSE, DATA_BCE } DataLoss;

typedef struct Data {
    char path[DATA_NAME_MAX];           /* the file read, for messages */
    char columns[2][DATA_COLUMN_MAX];   /* the header's names, or "" when it has none */
    long n;
    double *x, *y;
    long label_line;   /* the line of the first target that is not 0 or 1; 0 when all are */
    double label;      /* that target */
    double mean_x, mean_y, sd_x, sd_y;
    /* The minima, found once at loading: least squares in closed form (has_mse: 0 when every
     * x is the same, so the minimum is not unique), and logistic regression by Newton's method
     * (has_bce: 0 for separable classes or labels other than 0/1). */
    int has_mse, has_bce;
    double mse_min[2], bce_min[2];
    double suu, suv, svv; /* sums of the centred products: the MSE map's closed form */
    /* The BCE map's points: the rows themselves, or over DATA_MAP_ROWS rows each class's mean x
     * in each of DATA_MAP_ROWS / 2 equal slices of the x range, weighted by its rows. */
    int map_n;
    double map_x[DATA_MAP_ROWS], map_y[DATA_MAP_ROWS], map_w[DATA_MAP_ROWS];
    /* The permutation of the epoch last asked for (data_batch), kept for the next batch of it:
     * scratch memory of the data set, used by one thread at a time (the simulation's). */
    struct DataOrder *order;
} Data;

/* Reads a data file's text for a name: a path as it is, or a shipped data set by name. On
 * success the path read goes to path; on failure -1 and a message naming the file. */
typedef int (*DataReadFile)(const char *name, char *path, size_t pathlen, char **text, char *err, size_t errlen);

/* Every data set the specs of one program run point to, each read once: the shell owns the
 * store for the whole run, and specs only borrow its Data. */
typedef struct {
    DataReadFile read;
    Data *sets[DATA_STORE_MAX];
    char names[DATA_STORE_MAX][DATA_NAME_MAX]; /* as the specs wrote them */
    int count;
} DataStore;

/* Parses a CSV text (path names it in messages). Returns a malloc'd Data, or NULL with
 * "PATH:LINE: what is wrong (what is valid)" in err. */
Data *data_parse(const char *text, const char *path, char *err, size_t errlen);
void data_free(Data *d);

/* The data set a spec names, read on first use; NULL with a message on failure. */
const Data *data_store_get(DataStore *s, const char *name, char *err, size_t errlen);
void data_store_free(DataStore *s);

/* Whether d suits the loss (logreg: labels 0 and 1 only); -1 with "PATH:LINE: ..." if not. */
int data_check(const Data *d, DataLoss loss, char *err, size_t errlen);

/* The loss at (w, b), its gradient and Hessian {f_ww, f_wb, f_bb} (data_hessian): over all
 * rows when idx is NULL, else the mean over the m rows idx names. */
double data_value(const Data *d, DataLoss loss, double w, double b, const uint32_t *idx, long m);
void data_grad(const Data *d, DataLoss loss, double w, double b, const uint32_t *idx, long m, double g[2]);
/* out[i] = the loss at (ws[i], b), for the map: MSE from the centred moments, exact up to
 * rounding at any size; BCE exactly up to DATA_MAP_ROWS rows, else from the weighted points
 * (map_x), so a map of a million rows takes as long as one of hundreds. */
void data_row(const Data *d, DataLoss loss, const double *ws, int n, double b, double *out);
void data_hessian(const Data *d, DataLoss loss, double w, double b, const uint32_t *idx, long m, double h[3]);
/* The minimum (1) or none (0): see has_mse and has_bce. */
int data_minimum(const Data *d, DataLoss loss, double out[2]);
/* A view centred on the minimum (or on the origin when there is none), sized from the
 * data's scale, and a start in it. */
void data_home(const Data *d, DataLoss loss, double view[4], double start[2]);

/* The minibatches of a run: SplitMix64 from seed shuffles 0..n-1 (Fisher-Yates from the last
 * index down) afresh from the identity for every epoch, the generator going on from where
 * the last shuffle left it; batches are consecutive slices, the last one partial (torch's
 * drop_last=False). Points rows at batch k of epoch e and returns how many rows it has. */
long data_batch(const Data *d, uint64_t seed, long epoch, long k, long size, const uint32_t **rows);
/* Batches in an epoch. */
long data_batches(const Data *d, long size);

#endif
