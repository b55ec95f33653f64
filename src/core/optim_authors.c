/* The rules torch lacks, as their authors' code has them: Lion, QHM, QHAdam, schedule-free
 * SGD and AdamW, Prodigy. */
#include "optim_rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Lion (lucidrains/lion-pytorch): the sign of a beta1 blend of momentum and gradient,
 * the momentum then kept with beta2; weight decay on the parameter. */
void lion_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b1 = h[LION_BETA1], b2 = h[LION_BETA2];
    for (int i = 0; i < 2; i++) {
        x[i] *= 1. - lr * h[LION_WD];
        const double blend = st->m[i] * b1 + (1. - b1) * g[i];
        const double update = blend > 0 ? 1 : blend < 0 ? -1 : 0;
        x[i] = x[i] + -lr * update;
        st->m[i] = st->m[i] * b2 + (1. - b2) * g[i];
    }
}

/* QHM (facebookresearch/qhoptim): a nu-weighted average of the momentum buffer (an
 * exponential average of gradients) and the plain gradient. */
void qhm_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double momentum = h[QHM_MOMENTUM], nu = h[QHM_NU];
    double d[2];
    decayed(g, x, h[QHM_WD], d);
    for (int i = 0; i < 2; i++) {
        st->m[i] = st->m[i] * momentum + (1.0 - momentum) * d[i];
        x[i] = x[i] + -lr * nu * st->m[i];
        x[i] = x[i] + -lr * (1.0 - nu) * d[i];
    }
}

/* QHAdam (facebookresearch/qhoptim): QHM's averaging in both Adam moments, with bias
 * correction through the running weights beta_weight = 1 + beta * beta_weight (kept in
 * eta and mu). */
void qhadam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double nu1 = h[QHADAM_NU1], nu2 = h[QHADAM_NU2], eps = h[QHADAM_EPS];
    double d[2];
    decayed(g, x, h[QHADAM_WD], d);
    st->eta = 1.0 + h[QHADAM_BETA1] * st->eta;
    st->mu = 1.0 + h[QHADAM_BETA2] * st->mu;
    const double b1 = 1.0 - 1.0 / st->eta, b2 = 1.0 - 1.0 / st->mu;
    for (int i = 0; i < 2; i++) {
        const double sq = d[i] * d[i];
        st->m[i] = st->m[i] * b1 + (1.0 - b1) * d[i];
        st->v[i] = st->v[i] * b2 + (1.0 - b2) * sq;
        double avg = st->m[i] * nu1;
        if (nu1 != 1.0)
            avg = avg + (1.0 - nu1) * d[i];
        double rms = st->v[i] * nu2;
        if (nu2 != 1.0)
            rms = rms + (1.0 - nu2) * sq;
        rms = sqrt(rms);
        if (eps != 0.0)
            rms = rms + eps;
        x[i] = x[i] + -lr * avg / rms;
    }
}

/* Schedule-free (facebookresearch/schedule_free): the lr after its linear warmup. */
static double sf_lr(double lr, long k, double warmup)
{
    return (double)k < warmup ? lr * ((double)(k + 1) / warmup) : lr * 1.0;
}

/* The averaging weight c_{k+1} of this step, updating the running sums. */
static double sf_weight(OptimState *st, double lr, double r, double power)
{
    st->lr_max = fmax(lr, st->lr_max);
    const double weight = pow((double)(st->step + 1), r) * pow(st->lr_max, power);
    st->weight_sum += weight;
    return st->weight_sum != 0 ? weight / st->weight_sum : 0;
}

void sf_init(const double *h, OptimState *st)
{
    (void)h;
    st->lr_max = -1.0;
}

/* y moves towards z and along the gradient, z takes the plain step; the point shown is
 * x = lerp(y, z, 1 - 1/momentum), what `optimizer.eval()` puts in the parameters. */
static void sf_move(OptimState *st, double x[2], const double grad[2], double lr, double ckp1, double momentum)
{
    for (int i = 0; i < 2; i++) {
        st->y[i] = lerp(st->y[i], st->z[i], ckp1);
        st->y[i] = st->y[i] + lr * (momentum * (1 - ckp1) - 1) * grad[i];
        st->z[i] = st->z[i] - lr * grad[i];
        x[i] = lerp(st->y[i], st->z[i], 1 - 1 / momentum);
    }
    st->step++;
}

static void sf_start(OptimState *st, const double x[2])
{
    if (st->started)
        return;
    memcpy(st->y, x, sizeof st->y);
    memcpy(st->z, x, sizeof st->z);
    st->started = 1;
}

void sf_probe(const OptimState *st, const double x[2], double p[2])
{
    memcpy(p, st->started ? st->y : x, 2 * sizeof p[0]);
}

void sgd_sf_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    sf_start(st, x);
    lr = sf_lr(lr, st->step, h[SF_WARMUP]);
    const double ckp1 = sf_weight(st, lr, h[SF_R], h[SF_POWER]);
    double grad[2];
    decayed(g, st->y, h[SF_WD], grad);
    sf_move(st, x, grad, lr, ckp1, h[SF_MOMENTUM]);
}

double sgd_sf_step_lr(const double *h, const OptimState *st, double lr)
{
    return sf_lr(lr, st->step, h[SF_WARMUP]);
}

/* Schedule-free AdamW: the gradient normalised by Adam's second moment (v), then the
 * same y, z and x; weight decay is taken at y. */
void adamw_sf_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b2 = h[ASF_BETA2];
    sf_start(st, x);
    const double bc2 = 1 - pow(b2, (double)(st->step + 1));
    lr = sf_lr(lr, st->step, h[ASF_WARMUP]);
    const double ckp1 = sf_weight(st, lr, h[ASF_R], h[ASF_POWER]);
    double grad[2];
    for (int i = 0; i < 2; i++) {
        st->v[i] = st->v[i] * b2 + (1 - b2) * g[i] * g[i];
        grad[i] = g[i] / (sqrt(st->v[i] / bc2) + h[ASF_EPS]);
        if (h[ASF_WD] != 0)
            grad[i] = grad[i] + h[ASF_WD] * st->y[i];
    }
    sf_move(st, x, grad, lr, ckp1, h[ASF_BETA1]);
}

double adamw_sf_step_lr(const double *h, const OptimState *st, double lr)
{
    return sf_lr(lr, st->step, h[ASF_WARMUP]);
}

void prodigy_init(const double *h, OptimState *st)
{
    st->d = st->d_max = h[PRODIGY_D0];
}

/* Prodigy's step size d * lr, times Adam's bias correction when asked for. */
double prodigy_step_lr(const double *h, const OptimState *st, double lr)
{
    const double k = (double)st->step;
    const double bias = h[PRODIGY_BIAS_CORRECTION] != 0
                            ? pow(1 - pow(h[PRODIGY_BETA2], k + 1), 0.5) / (1 - pow(h[PRODIGY_BETA1], k + 1))
                            : 1;
    return st->d * lr * bias;
}

/* Prodigy (konstmish/prodigy): Adam whose step size d grows to an estimate of the
 * distance from the start to the solution, made from the gradients seen along the way. */
void prodigy_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b1 = h[PRODIGY_BETA1], b2 = h[PRODIGY_BETA2], d0 = h[PRODIGY_D0];
    const double b3 = h[PRODIGY_BETA3] > 0 ? h[PRODIGY_BETA3] : sqrt(b2);
    const double wd = h[PRODIGY_WD], d = st->d;
    const int decouple = h[PRODIGY_DECOUPLE] != 0;
    const double dlr = prodigy_step_lr(h, st, lr);
    double grad[2];
    decayed(g, x, decouple ? 0 : wd, grad);
    if (!st->started) {
        memcpy(st->p0, x, sizeof st->p0);
        st->started = 1;
    }
    const double to_start[2] = { st->p0[0] - x[0], st->p0[1] - x[1] };
    const double delta_numerator = (d / d0) * dlr * dot(grad, to_start);
    const double s_rate = h[PRODIGY_SAFEGUARD] != 0 ? (d / d0) * d : (d / d0) * dlr;
    for (int i = 0; i < 2; i++) {
        if (b1 > 0)
            st->m[i] = st->m[i] * b1 + d * (1 - b1) * grad[i];
        st->v[i] = st->v[i] * b2 + d * d * (1 - b2) * grad[i] * grad[i];
        st->s[i] = st->s[i] * b3 + s_rate * grad[i];
    }
    const double d_denom = fabs(st->s[0]) + fabs(st->s[1]);
    if (d_denom == 0)
        return; /* no gradient yet: the authors' code returns before moving */
    st->d_numerator = st->d_numerator * b3 + delta_numerator;
    const double d_hat = h[PRODIGY_D_COEF] * st->d_numerator / d_denom;
    double d_new = d;
    if (d == d0)
        d_new = py_max(d, d_hat);
    st->d_max = py_max(st->d_max, d_hat);
    d_new = h[PRODIGY_GROWTH] > 0 ? py_min(st->d_max, d_new * h[PRODIGY_GROWTH]) : st->d_max;
    st->d = d_new;
    for (int i = 0; i < 2; i++) {
        const double denom = sqrt(st->v[i]) + d_new * h[PRODIGY_EPS];
        if (wd != 0 && decouple)
            x[i] = x[i] + -wd * dlr * x[i];
        x[i] = b1 > 0 ? x[i] + -dlr * st->m[i] / denom : x[i] + -dlr * d_new * grad[i] / denom;
    }
    st->step++;
}
