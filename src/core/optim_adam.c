/* The Adam family as torch.optim has it (Adam, AdamW, Adamax, NAdam, RAdam) and Adafactor:
 * a running first and second moment of the gradient. */
#include "optim_rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* exp_avg.mul_(beta1).add_(grad, alpha=1-beta1) and exp_avg_sq.mul_(beta2).addcmul_(...) */
static void adam_moments(const double *h, OptimState *st, const double d[2])
{
    const double b1 = h[ADAM_BETA1], b2 = h[ADAM_BETA2];
    for (int i = 0; i < 2; i++) {
        st->m[i] = lerp(st->m[i], d[i], 1 - b1);
        st->v[i] = st->v[i] * b2 + (1 - b2) * d[i] * d[i];
    }
}

/* Adam after the weight-decay choice; AdamW differs only in how it decays. */
static void adam_update(const double *h, OptimState *st, double lr, double x[2], const double d[2])
{
    adam_moments(h, st, d);
    const double step = (double)st->step;
    const double bc1 = 1 - pow(h[ADAM_BETA1], step);
    const double bc2_sqrt = sqrt(1 - pow(h[ADAM_BETA2], step));
    const double step_size = lr / bc1;
    for (int i = 0; i < 2; i++) {
        double second = st->v[i];
        if (h[ADAM_AMSGRAD] != 0) {
            st->w[i] = fmax(st->w[i], st->v[i]);
            second = st->w[i];
        }
        const double denom = sqrt(second) / bc2_sqrt + h[ADAM_EPS];
        x[i] = x[i] + -step_size * st->m[i] / denom;
    }
}

void adam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    double d[2];
    st->step++;
    decayed(g, x, h[ADAM_WD], d);
    adam_update(h, st, lr, x, d);
}

/* AdamW decays the parameter itself before the Adam step (decoupled weight decay). */
void adamw_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    st->step++;
    for (int i = 0; i < 2; i++)
        x[i] *= 1 - lr * h[ADAM_WD];
    adam_update(h, st, lr, x, g);
}

/* Adamax keeps an infinity norm: max(beta2 * exp_inf, |grad| + eps). */
void adamax_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b1 = h[ADAM_BETA1];
    double d[2];
    st->step++;
    decayed(g, x, h[ADAM_WD], d);
    const double clr = lr / (1 - pow(b1, (double)st->step));
    for (int i = 0; i < 2; i++) {
        st->m[i] = lerp(st->m[i], d[i], 1 - b1);
        st->v[i] = fmax(st->v[i] * h[ADAM_BETA2], fabs(d[i]) + h[ADAM_EPS]);
        x[i] = x[i] + -clr * st->m[i] / st->v[i];
    }
}

void nadam_init(const double *h, OptimState *st)
{
    (void)h;
    st->mu_product = 1.0;
}

/* Weight decay in the gradient (L2), or on the parameter itself when decoupled (as AdamW). */
static void decay_choice(double wd, int decoupled, double lr, double x[2], const double g[2], double d[2])
{
    if (wd != 0 && decoupled) {
        for (int i = 0; i < 2; i++)
            x[i] *= 1 - lr * wd;
        d[0] = g[0], d[1] = g[1];
        return;
    }
    decayed(g, x, wd, d);
}

/* NAdam with torch's momentum schedule mu_t = beta1 (1 - 0.5 * 0.96^(t * momentum_decay));
 * since torch 2.0 mu_product_next is mu_product * mu_next (1.13 multiplied mu in twice). */
void nadam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b1 = h[ADAM_BETA1], decay = h[NADAM_MOMENTUM_DECAY];
    double d[2];
    st->step++;
    const double step = (double)st->step;
    const double bc2 = 1 - pow(h[ADAM_BETA2], step);
    decay_choice(h[ADAM_WD], h[NADAM_DECOUPLED] != 0, lr, x, g, d);
    const double mu = b1 * (1. - 0.5 * pow(0.96, step * decay));
    const double mu_next = b1 * (1. - 0.5 * pow(0.96, (step + 1) * decay));
    st->mu_product *= mu;
    adam_moments(h, st, d);
    const double mu_product_next = st->mu_product * mu_next;
    const double grad_w = -lr * (1. - mu) / (1. - st->mu_product);
    const double avg_w = (-lr * mu_next) / (1. - mu_product_next);
    for (int i = 0; i < 2; i++) {
        const double denom = sqrt(st->v[i] / bc2) + h[ADAM_EPS];
        x[i] = x[i] + grad_w * d[i] / denom;
        x[i] = x[i] + avg_w * st->m[i] / denom;
    }
}

/* RAdam: plain momentum SGD until the variance estimate is tractable (rho_t > 5). */
void radam_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double b2 = h[ADAM_BETA2];
    double d[2];
    st->step++;
    const double step = (double)st->step;
    decay_choice(h[ADAM_WD], h[RADAM_DECOUPLED] != 0, lr, x, g, d);
    adam_moments(h, st, d);
    const double bc1 = 1 - pow(h[ADAM_BETA1], step);
    const double bc2 = 1 - pow(b2, step);
    const double rho_inf = 2 / (1 - b2) - 1;
    const double rho_t = rho_inf - 2 * step * pow(b2, step) / bc2;
    for (int i = 0; i < 2; i++) {
        const double corrected = st->m[i] / bc1;
        if (rho_t > 5.) {
            const double rect =
                sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
            const double adaptive_lr = sqrt(bc2) / (sqrt(st->v[i]) + h[ADAM_EPS]);
            x[i] = x[i] + -1.0 * (corrected * lr * adaptive_lr * rect);
        } else {
            x[i] = x[i] + -1.0 * (corrected * lr);
        }
    }
}


/* Adafactor on a vector: no factoring, a second moment with a decaying beta2 and a step
 * relative to the parameter's RMS (v: variance). */
void adafactor_step(const double *h, OptimState *st, double lr, double x[2], const double g[2])
{
    const double eps1 = h[AFAC_EPS1];
    st->step++;
    const double step = (double)st->step;
    const double one_minus_beta2 = pow(step, h[AFAC_BETA2_DECAY]);
    const double rho = fmin(lr, 1 / pow(step, 0.5));
    const double alpha = fmax(h[AFAC_EPS2], sqrt(dot(x, x)) / sqrt(2.0)) * rho;
    if (h[AFAC_WD] != 0)
        for (int i = 0; i < 2; i++)
            x[i] *= 1 - lr * h[AFAC_WD];
    double update[2];
    for (int i = 0; i < 2; i++) {
        st->v[i] = lerp(st->v[i], g[i] * g[i], one_minus_beta2);
        update[i] = 1 / sqrt(fmax(st->v[i], eps1 * eps1)) * g[i];
    }
    const double denom = fmax(1.0, sqrt(dot(update, update)) / (sqrt(2.0) * h[AFAC_D]));
    for (int i = 0; i < 2; i++)
        x[i] = x[i] + (-alpha / denom) * update[i];
}
