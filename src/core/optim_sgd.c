/* SGD and the rules torch built on it without Adam's moments: AdaGrad, RMSprop, Adadelta,
 * Rprop, ASGD (PyTorch 2.6, single-tensor path). */
#include "optim_rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int sgd_check(const double *h, char *err, size_t errlen)
{
    if (h[SGD_NESTEROV] != 0 && (h[SGD_MOMENTUM] <= 0 || h[SGD_DAMPENING] != 0)) {
        snprintf(err, errlen, "sgd: nesterov=1 needs momentum > 0 and dampening = 0");
        return -1;
    }
    return 0;
}

void sgd_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double momentum = h[SGD_MOMENTUM];
    double d[2];
    decayed(g, x, h[SGD_WD], d);
    if (momentum != 0) {
        for (int i = 0; i < 2; i++)
            st->m[i] = st->started ? st->m[i] * momentum + (1 - h[SGD_DAMPENING]) * d[i] : d[i];
        st->started = 1;
        for (int i = 0; i < 2; i++)
            d[i] = h[SGD_NESTEROV] != 0 ? d[i] + momentum * st->m[i] : st->m[i];
    }
    for (int i = 0; i < 2; i++)
        x[i] = x[i] + -lr * d[i];
}

void adagrad_init(const double *h, OptimState *st)
{
    for (int i = 0; i < 2; i++)
        st->v[i] = h[ADAGRAD_INIT];
}

void adagrad_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    double d[2];
    st->step++;
    decayed(g, x, h[ADAGRAD_WD], d);
    const double clr = lr / (1 + (double)(st->step - 1) * h[ADAGRAD_LR_DECAY]);
    for (int i = 0; i < 2; i++) {
        st->v[i] = st->v[i] + 1.0 * d[i] * d[i];
        x[i] = x[i] + -clr * d[i] / (sqrt(st->v[i]) + h[ADAGRAD_EPS]);
    }
}

void rmsprop_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double alpha = h[RMS_ALPHA];
    double d[2];
    decayed(g, x, h[RMS_WD], d);
    for (int i = 0; i < 2; i++) {
        st->v[i] = st->v[i] * alpha + (1 - alpha) * d[i] * d[i];
        double avg;
        if (h[RMS_CENTERED] != 0) {
            st->w[i] = st->w[i] * alpha + (1 - alpha) * d[i];
            avg = sqrt(st->v[i] + -1.0 * st->w[i] * st->w[i]);
        } else {
            avg = sqrt(st->v[i]);
        }
        avg += h[RMS_EPS];
        if (h[RMS_MOMENTUM] > 0) {
            st->m[i] = st->m[i] * h[RMS_MOMENTUM] + 1.0 * d[i] / avg;
            x[i] = x[i] + -lr * st->m[i];
        } else {
            x[i] = x[i] + -lr * d[i] / avg;
        }
    }
}

void adadelta_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double rho = h[ADADELTA_RHO], eps = h[ADADELTA_EPS];
    double d[2];
    decayed(g, x, h[ADADELTA_WD], d);
    for (int i = 0; i < 2; i++) {
        st->v[i] = st->v[i] * rho + (1 - rho) * d[i] * d[i];
        const double std = sqrt(st->v[i] + eps);
        const double delta = sqrt(st->w[i] + eps) / std * d[i];
        st->w[i] = st->w[i] * rho + (1 - rho) * delta * delta;
        x[i] = x[i] + -lr * delta;
    }
}


int rprop_check(const double *h, char *err, size_t errlen)
{
    if (h[RPROP_STEP_MIN] > h[RPROP_STEP_MAX]) {
        snprintf(err, errlen, "rprop: step_min must not exceed step_max");
        return -1;
    }
    return 0;
}

/* Rprop: each coordinate's step grows by eta_plus while its gradient keeps its sign and
 * shrinks by eta_minus when it flips (skipping that update). m: prev, v: step sizes,
 * which start at the lr of the first update. */
void rprop_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double eta_minus = h[RPROP_ETA_MINUS];
    const int first = st->step++ == 0;
    for (int i = 0; i < 2; i++) {
        if (first)
            st->v[i] = lr;
        const double sign = g[i] * st->m[i];
        const double factor = sign > 0 ? h[RPROP_ETA_PLUS] : sign < 0 ? eta_minus : 1;
        st->v[i] = fmin(fmax(st->v[i] * factor, h[RPROP_STEP_MIN]), h[RPROP_STEP_MAX]);
        const double grad = factor == eta_minus ? 0 : g[i];
        const double dir = grad > 0 ? 1 : grad < 0 ? -1 : 0;
        x[i] = x[i] + -1.0 * dir * st->v[i];
        st->m[i] = grad;
    }
}

void asgd_init(const double *h, OptimState *st)
{
    st->eta = h[OPTIM_LR];
    st->mu = 1;
}

/* ASGD: SGD with a decaying step eta and an average ax (kept in w) from step t0 on; the
 * run shows the iterate itself, as torch's parameter is. */
void asgd_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    double d[2];
    if (st->step == 0)
        st->eta = lr;
    st->step++;
    decayed(g, x, h[ASGD_WD], d);
    for (int i = 0; i < 2; i++) {
        x[i] *= 1 - h[ASGD_LAMBD] * st->eta;
        x[i] = x[i] + -st->eta * d[i];
        st->w[i] = st->mu != 1 ? st->w[i] + (x[i] - st->w[i]) * st->mu : x[i];
    }
    const double step = (double)st->step;
    st->eta = lr / pow(1 + h[ASGD_LAMBD] * lr * step, h[ASGD_ALPHA]);
    st->mu = 1 / fmax(1, step - h[ASGD_T0]);
}
