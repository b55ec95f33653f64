/* The rules that look at curvature: torch's L-BFGS with its strong-Wolfe line search, one
 * iteration a step, and Newton's method with the exact Hessian. */
#include "optim_rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* torch.optim.lbfgs._cubic_interpolate: the minimum of the cubic through two points
 * with their slopes, within bounds. */
static double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo,
                                double hi)
{
    const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
    const double d2_square = d1 * d1 - g1 * g2;
    if (!(d2_square >= 0))
        return (lo + hi) / 2.0;
    const double d2 = sqrt(d2_square);
    const double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return py_min(py_max(min_pos, lo), hi);
}

/* Loss and directional derivative at x + t d, remembered as a trial point. */
static double line_probe(const OptimEval *e, OptimState *st, const double x[2], double t, const double d[2],
                         double *gtd)
{
    const double p[2] = { x[0] + t * d[0], x[1] + t * d[1] };
    double g[2];
    const double f = e->eval(e, p, g);
    if (st->ntrials < OPTIM_TRIALS_MAX) {
        st->trials[st->ntrials][0] = p[0];
        st->trials[st->ntrials][1] = p[1];
        st->ntrials++;
    }
    *gtd = dot(g, d);
    return f;
}

/* torch.optim.lbfgs._strong_wolfe with its defaults (c1 1e-4, c2 0.9, tolerance_change
 * 1e-9, 25 evaluations): bracket a step meeting the strong Wolfe conditions, then zoom
 * by cubic interpolation. Returns the step length. */
static double strong_wolfe(const OptimEval *e, OptimState *st, const double x[2], double t, const double d[2],
                           double f, double gtd)
{
    const double c1 = 1e-4, c2 = 0.9, tolerance_change = 1e-9;
    const int max_ls = 25;
    const double d_norm = fmax(fabs(d[0]), fabs(d[1]));
    double gtd_new, f_new = line_probe(e, st, x, t, d, &gtd_new);
    double t_prev = 0, f_prev = f, gtd_prev = gtd;
    double br[2] = { t, t }, br_f[2] = { f_new, f_new }, br_gtd[2] = { gtd_new, gtd_new };
    int done = 0, ls_iter = 0;
    while (ls_iter < max_ls) {
        if (f_new > (f + c1 * t * gtd) || (ls_iter > 1 && f_new >= f_prev) || (!(fabs(gtd_new) <= -c2 * gtd) && gtd_new >= 0)) {
            br[0] = t_prev, br[1] = t;
            br_f[0] = f_prev, br_f[1] = f_new;
            br_gtd[0] = gtd_prev, br_gtd[1] = gtd_new;
            break;
        }
        if (fabs(gtd_new) <= -c2 * gtd) {
            br[0] = br[1] = t;
            br_f[0] = br_f[1] = f_new;
            done = 1;
            break;
        }
        const double min_step = t + 0.01 * (t - t_prev), max_step = t * 10, tmp = t;
        t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, min_step, max_step);
        t_prev = tmp;
        f_prev = f_new;
        gtd_prev = gtd_new;
        f_new = line_probe(e, st, x, t, d, &gtd_new);
        ls_iter++;
    }
    if (ls_iter == max_ls) {
        br[0] = 0, br[1] = t;
        br_f[0] = f, br_f[1] = f_new;
    }
    int insuf_progress = 0, low = br_f[0] <= br_f[1] ? 0 : 1;
    while (!done && ls_iter < max_ls) {
        if (fabs(br[1] - br[0]) * d_norm < tolerance_change)
            break;
        const double hi = py_max(br[0], br[1]), lo = py_min(br[0], br[1]);
        t = cubic_interpolate(br[0], br_f[0], br_gtd[0], br[1], br_f[1], br_gtd[1], lo, hi);
        const double eps = 0.1 * (hi - lo);
        if (py_min(hi - t, t - lo) < eps) {
            if (insuf_progress || t >= hi || t <= lo) {
                t = fabs(t - hi) < fabs(t - lo) ? hi - eps : lo + eps;
                insuf_progress = 0;
            } else {
                insuf_progress = 1;
            }
        } else {
            insuf_progress = 0;
        }
        f_new = line_probe(e, st, x, t, d, &gtd_new);
        ls_iter++;
        const int high = 1 - low;
        if (f_new > (f + c1 * t * gtd) || f_new >= br_f[low]) {
            br[high] = t, br_f[high] = f_new, br_gtd[high] = gtd_new;
            low = br_f[0] <= br_f[1] ? 0 : 1;
        } else {
            if (fabs(gtd_new) <= -c2 * gtd) {
                done = 1;
            } else if (gtd_new * (br[high] - br[low]) >= 0) {
                br[high] = br[low], br_f[high] = br_f[low], br_gtd[high] = br_gtd[low];
            }
            br[low] = t, br_f[low] = f_new, br_gtd[low] = gtd_new;
        }
    }
    return br[low];
}

/* The two-loop recursion: the direction -H g from the stored curvature pairs, after
 * taking in the newest pair (y = g - prev_g, s = d t) when it has positive curvature. */
static void lbfgs_direction(LbfgsState *L, int history, const double g[2])
{
    const double y[2] = { g[0] - L->prev_g[0], g[1] - L->prev_g[1] };
    const double s[2] = { L->d[0] * L->t, L->d[1] * L->t };
    const double ys = dot(y, s);
    if (ys > 1e-10) {
        /* torch drops the oldest pair when full; "while" keeps a history_size lowered
         * mid-run (sim_set_hyper) within the arrays. */
        while (L->nold >= history) {
            L->nold--;
            memmove(L->dirs, L->dirs + 1, (size_t)L->nold * sizeof L->dirs[0]);
            memmove(L->stps, L->stps + 1, (size_t)L->nold * sizeof L->stps[0]);
            memmove(L->ro, L->ro + 1, (size_t)L->nold * sizeof L->ro[0]);
        }
        memcpy(L->dirs[L->nold], y, sizeof y);
        memcpy(L->stps[L->nold], s, sizeof s);
        L->ro[L->nold] = 1.0 / ys;
        L->nold++;
        L->h_diag = ys / dot(y, y);
    }
    /* torch makes al once, [None] * history_size; a history raised mid-run (where torch
     * would index past it) grows it to the pairs kept. */
    const int slots = L->nal == 0 ? history : L->nold;
    while (L->nal < slots && L->nal < OPTIM_HISTORY_MAX)
        L->al[L->nal++] = NAN;
    double *al = L->al, q[2] = { -g[0], -g[1] };
    for (int i = L->nold - 1; i >= 0; i--) {
        al[i] = dot(L->stps[i], q) * L->ro[i];
        for (int k = 0; k < 2; k++)
            q[k] = q[k] + -al[i] * L->dirs[i][k];
    }
    for (int k = 0; k < 2; k++)
        L->d[k] = q[k] * L->h_diag;
    for (int i = 0; i < L->nold; i++) {
        const double be_i = dot(L->dirs[i], L->d) * L->ro[i];
        for (int k = 0; k < 2; k++)
            L->d[k] = L->d[k] + (al[i] - be_i) * L->stps[i][k];
    }
}

/* L-BFGS as torch's LBFGS(max_iter=1) runs one step(closure): nothing when the gradient
 * is already below tolerance_grad or the direction does not descend. */
int lbfgs_step(const double *h, OptimState *st, double lr, double x[2], const OptimEval *e)
{
    LbfgsState *L = &st->lbfgs;
    const double *g = e->g;
    st->ntrials = 0;
    L->func_evals++; /* torch's closure call for the loss and gradient at x */
    if (fmax(fabs(g[0]), fabs(g[1])) <= h[LBFGS_TOL_GRAD])
        return 0;
    if (++L->n_iter == 1) {
        L->d[0] = -g[0], L->d[1] = -g[1];
        L->nold = 0;
        L->h_diag = 1;
    } else {
        lbfgs_direction(L, (int)h[LBFGS_HISTORY], g);
    }
    memcpy(L->prev_g, g, sizeof L->prev_g);
    L->prev_loss = e->loss;
    L->t = L->n_iter == 1 ? py_min(1.0, 1.0 / (fabs(g[0]) + fabs(g[1]))) * lr : lr;
    const double gtd = dot(g, L->d);
    if (gtd > -h[LBFGS_TOL_CHANGE])
        return 0;
    if (h[LBFGS_LINE_SEARCH] == LINE_SEARCH_STRONG_WOLFE) {
        L->t = strong_wolfe(e, st, x, L->t, L->d, e->loss, gtd);
        L->func_evals += st->ntrials; /* every trial is one closure call */
    }
    for (int i = 0; i < 2; i++)
        x[i] = x[i] + L->t * L->d[i];
    return 0;
}

/* Newton: x - lr (H + damping I)^-1 g with the exact Hessian. An indefinite H still gives
 * the step (towards a saddle or a maximum, which is what the method does); a singular one
 * gives none and stops the run. */
int newton_step(const double *h, OptimState *st, double lr, double x[2], const OptimEval *e)
{
    double H[3];
    e->hessian(e, x, H);
    const double a = H[0] + h[NEWTON_DAMPING], b = H[1], c = H[2] + h[NEWTON_DAMPING];
    const double det = a * c - b * b;
    if (det == 0 || !isfinite(det)) {
        st->halt = "singular Hessian";
        return -1;
    }
    st->indefinite = det < 0 || a < 0;
    const double dx = (c * e->g[0] - b * e->g[1]) / det, dy = (a * e->g[1] - b * e->g[0]) / det;
    x[0] = x[0] - lr * dx;
    x[1] = x[1] - lr * dy;
    st->step++;
    return 0;
}

/* torch's LBFGS keeps its state on the first parameter: the counters from the first
 * step(closure) on, what one iteration leaves from the first iteration on, and al from the
 * first two-loop recursion on. */
int lbfgs_state(const double *h, const OptimState *st, OptimStateEntry *out)
{
    (void)h;
    const LbfgsState *L = &st->lbfgs;
    if (L->func_evals == 0)
        return 0;
    int n = state_number(out, "func_evals", (double)L->func_evals);
    n += state_number(out + n, "n_iter", (double)L->n_iter);
    if (L->n_iter == 0)
        return n;
    n += state_vector(out + n, "d", L->d);
    n += state_number(out + n, "t", L->t);
    n += state_list(out + n, "old_dirs", OPTIM_VALUE_VECTORS, &L->dirs[0][0], L->nold);
    n += state_list(out + n, "old_stps", OPTIM_VALUE_VECTORS, &L->stps[0][0], L->nold);
    n += state_list(out + n, "ro", OPTIM_VALUE_NUMBERS, L->ro, L->nold);
    n += state_number(out + n, "H_diag", L->h_diag);
    n += state_vector(out + n, "prev_flat_grad", L->prev_g);
    n += state_number(out + n, "prev_loss", L->prev_loss);
    if (L->nal > 0)
        n += state_list(out + n, "al", OPTIM_VALUE_NUMBERS, L->al, L->nal);
    return n;
}
