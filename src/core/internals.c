/* A run's next update taken apart and its rule with this update's values (see internals.h).
 * One row per optimizer: its parts (momentum term, step size per coordinate) and its rule's
 * lines, as torch's documentation writes them (the authors' papers for the rules torch
 * lacks); the formulas are UTF-8, written out for the reader of this file. */
#include "internals.h"

#include <math.h>
#include <string.h>

#include "optim_rules.h"

/* What a row reads: the run before and after the update, its settings, the state after. */
typedef struct {
    const Run *r, *n;
    double h[SPEC_MAX_PARAMS]; /* the hyperparameters, a cycled momentum in */
    double lr, t;
    double g[2];
    OptimStateEntry e[OPTIM_STATE_MAX];
    int ne;
    Internals *in;
    Rule *rule;
} Ctx;

/* The state entry named, after the update: 1 number, 2 a vector, 0 none. */
static int entry(const Ctx *c, const char *name, double v[2])
{
    for (int i = 0; i < c->ne; i++)
        if (strcmp(c->e[i].name, name) == 0 && c->e[i].kind <= OPTIM_VALUE_VECTOR) {
            v[0] = c->e[i].v[0];
            v[1] = c->e[i].v[1];
            return c->e[i].kind == OPTIM_VALUE_NUMBER ? 1 : 2;
        }
    return 0;
}

static void phase_line(const Ctx *c, int phase, const char *formula, int values, const double v[2])
{
    Rule *r = c->rule;
    if (!r || r->n >= INTERNALS_LINES_MAX)
        return;
    r->line[r->n++] = (RuleLine){ formula, values, { values ? v[0] : 0, values > 1 ? v[1] : 0 }, phase };
}

/* A line of what the buffers make of the gradient (corrections, sizes): the scaling phase. */
static void line(const Ctx *c, const char *formula, int values, const double v[2])
{
    phase_line(c, INTERNALS_PHASE_SCALING, formula, values, v);
}

static void number(const Ctx *c, const char *formula, double v)
{
    const double two[2] = { v, 0 };
    line(c, formula, 1, two);
}

/* A line whose values are a state entry's. */
static void buffer(const Ctx *c, const char *formula, const char *name)
{
    double v[2];
    const int k = entry(c, name, v);
    phase_line(c, INTERNALS_PHASE_MOMENTS, formula, k, v);
}

static void theta(const Ctx *c, const char *formula)
{
    phase_line(c, INTERNALS_PHASE_STEP, formula, 2, c->in->next);
}

/* g + λθ: the L2 decay torch adds to the gradient, its own line when on. */
static void l2(const Ctx *c, int wd, double d[2])
{
    const double x[2] = { c->r->x, c->r->y };
    decayed(c->g, x, c->h[wd], d);
    if (c->h[wd] != 0)
        phase_line(c, INTERNALS_PHASE_GRADIENT, "g ← g + λθ", 2, d);
}

/* θ ← θ − lr·λ·θ: decay on the parameter itself (AdamW's, decoupled), its own line when on. */
static void decoupled(const Ctx *c, int wd)
{
    if (c->h[wd] == 0)
        return;
    const double v[2] = { c->r->x * (1 - c->lr * c->h[wd]), c->r->y * (1 - c->lr * c->h[wd]) };
    phase_line(c, INTERNALS_PHASE_GRADIENT, "θ ← θ − lr·λθ", 2, v);
}

static void set_scale(const Ctx *c, double sx, double sy)
{
    Internals *in = c->in;
    in->has_scale = isfinite(sx) && isfinite(sy);
    in->scale[0] = sx, in->scale[1] = sy;
}

static void set_momentum(const Ctx *c, double k, const double v[2])
{
    c->in->has_momentum = 1;
    c->in->momentum[0] = k * v[0];
    c->in->momentum[1] = k * v[1];
}

static void sgd(const Ctx *c)
{
    const double mu = c->h[SGD_MOMENTUM];
    const int nesterov = c->h[SGD_NESTEROV] != 0;
    double d[2];
    l2(c, SGD_WD, d);
    if (mu != 0) {
        /* What the buffer carries into this step: μ·b before it (Nesterov looks ahead with the new b). */
        const double *b = nesterov ? c->n->ost.m : c->r->ost.m;
        const double zero[2] = { 0, 0 };
        set_momentum(c, -c->lr * mu, c->r->ost.started || nesterov ? b : zero);
        buffer(c, c->h[SGD_DAMPENING] != 0 ? "b ← μb + (1−τ)g" : "b ← μb + g", "momentum_buffer");
    }
    theta(c, nesterov ? "θ ← θ − lr·(g + μb)" : mu != 0 ? "θ ← θ − lr·b" : "θ ← θ − lr·g");
}

static void adagrad(const Ctx *c)
{
    const double clr = c->lr / (1 + (c->t - 1) * c->h[ADAGRAD_LR_DECAY]);
    if (c->h[ADAGRAD_LR_DECAY] != 0)
        number(c, "η̃ = lr/(1 + (t−1)η)", clr);
    double d[2];
    l2(c, ADAGRAD_WD, d);
    buffer(c, "s ← s + g²", "sum");
    const double *s = c->n->ost.v, eps = c->h[ADAGRAD_EPS];
    set_scale(c, clr / (sqrt(s[0]) + eps), clr / (sqrt(s[1]) + eps));
    theta(c, c->h[ADAGRAD_LR_DECAY] != 0 ? "θ ← θ − η̃·g/(√s + ε)" : "θ ← θ − lr·g/(√s + ε)");
}

static void rmsprop(const Ctx *c)
{
    const int centered = c->h[RMS_CENTERED] != 0;
    const double mu = c->h[RMS_MOMENTUM], eps = c->h[RMS_EPS];
    double d[2], rate[2];
    l2(c, RMS_WD, d);
    buffer(c, "v ← αv + (1−α)g²", "square_avg");
    if (centered)
        buffer(c, "ḡ ← αḡ + (1−α)g", "grad_avg");
    for (int i = 0; i < 2; i++) {
        const double *v = c->n->ost.v, *w = c->n->ost.w;
        rate[i] = c->lr / (sqrt(centered ? v[i] - w[i] * w[i] : v[i]) + eps);
    }
    set_scale(c, rate[0], rate[1]);
    if (mu > 0) {
        set_momentum(c, -c->lr * mu, c->r->ost.m);
        buffer(c, centered ? "b ← μb + g/(√(v − ḡ²) + ε)" : "b ← μb + g/(√v + ε)", "momentum_buffer");
        theta(c, "θ ← θ − lr·b");
    } else {
        theta(c, centered ? "θ ← θ − lr·g/(√(v − ḡ²) + ε)" : "θ ← θ − lr·g/(√v + ε)");
    }
}

static void adadelta(const Ctx *c)
{
    const double eps = c->h[ADADELTA_EPS];
    double d[2], delta[2];
    l2(c, ADADELTA_WD, d);
    buffer(c, "v ← ρv + (1−ρ)g²", "square_avg");
    for (int i = 0; i < 2; i++)
        delta[i] = sqrt(c->r->ost.w[i] + eps) / sqrt(c->n->ost.v[i] + eps) * d[i];
    line(c, "Δx = √(u + ε)/√(v + ε)·g", 2, delta);
    buffer(c, "u ← ρu + (1−ρ)Δx²", "acc_delta");
    set_scale(c, c->lr * sqrt(c->r->ost.w[0] + eps) / sqrt(c->n->ost.v[0] + eps),
              c->lr * sqrt(c->r->ost.w[1] + eps) / sqrt(c->n->ost.v[1] + eps));
    theta(c, "θ ← θ − lr·Δx");
}

/* m̂ and v̂ (AMSGrad: the largest v so far, corrected) from the state after the update. */
static void corrected(const Ctx *c, const char *second, double mh[2], double vh[2])
{
    const double bc1 = 1 - pow(c->h[ADAM_BETA1], c->t), bc2 = 1 - pow(c->h[ADAM_BETA2], c->t);
    double m[2] = { 0, 0 }, v[2] = { 0, 0 };
    entry(c, "exp_avg", m);
    entry(c, second, v);
    for (int i = 0; i < 2; i++)
        mh[i] = m[i] / bc1, vh[i] = v[i] / bc2;
}

static void adam_family(const Ctx *c, int adamw)
{
    const int ams = c->h[ADAM_AMSGRAD] != 0;
    double d[2], mh[2], vh[2];
    if (adamw)
        decoupled(c, ADAM_WD);
    else
        l2(c, ADAM_WD, d);
    buffer(c, "m ← β₁m + (1−β₁)g", "exp_avg");
    buffer(c, "v ← β₂v + (1−β₂)g²", "exp_avg_sq");
    corrected(c, ams ? "max_exp_avg_sq" : "exp_avg_sq", mh, vh);
    line(c, "m̂ = m/(1−β₁ᵗ)", 2, mh);
    if (ams) {
        line(c, "v̂ₘₐₓ ← max(v̂ₘₐₓ, v̂)", 2, vh);
        theta(c, "θ ← θ − lr·m̂/(√v̂ₘₐₓ + ε)");
    } else {
        line(c, "v̂ = v/(1−β₂ᵗ)", 2, vh);
        theta(c, "θ ← θ − lr·m̂/(√v̂ + ε)");
    }
    set_momentum(c, -c->lr, mh);
    const double eps = c->h[ADAM_EPS];
    set_scale(c, c->lr / (sqrt(vh[0]) + eps), c->lr / (sqrt(vh[1]) + eps));
}

static void adam(const Ctx *c) { adam_family(c, 0); }
static void adamw(const Ctx *c) { adam_family(c, 1); }

static void adamax(const Ctx *c)
{
    const double bc1 = 1 - pow(c->h[ADAM_BETA1], c->t);
    double d[2], m[2] = { 0, 0 }, u[2] = { 1, 1 };
    l2(c, ADAM_WD, d);
    buffer(c, "m ← β₁m + (1−β₁)g", "exp_avg");
    buffer(c, "u ← max(β₂u, |g| + ε)", "exp_inf");
    entry(c, "exp_avg", m);
    entry(c, "exp_inf", u);
    const double mh[2] = { m[0] / bc1, m[1] / bc1 };
    set_momentum(c, -c->lr, mh);
    set_scale(c, c->lr / u[0], c->lr / u[1]);
    theta(c, "θ ← θ − lr·m/((1−β₁ᵗ)u)");
}

static void decay_either(const Ctx *c, int decoupled_param)
{
    double d[2];
    if (c->h[decoupled_param] != 0)
        decoupled(c, ADAM_WD);
    else
        l2(c, ADAM_WD, d);
}

static void nadam(const Ctx *c)
{
    const double b1 = c->h[ADAM_BETA1], psi = c->h[NADAM_MOMENTUM_DECAY];
    const double mu = b1 * (1 - 0.5 * pow(0.96, c->t * psi)), mu_next = b1 * (1 - 0.5 * pow(0.96, (c->t + 1) * psi));
    decay_either(c, NADAM_DECOUPLED);
    number(c, "μₜ = β₁(1 − ½·0.96^(tψ))", mu);
    buffer(c, "m ← β₁m + (1−β₁)g", "exp_avg");
    buffer(c, "v ← β₂v + (1−β₂)g²", "exp_avg_sq");
    double prod[2] = { 1, 0 }, m[2] = { 0, 0 }, v[2] = { 0, 0 }, mh[2], vh[2];
    entry(c, "mu_product", prod);
    entry(c, "exp_avg", m);
    entry(c, "exp_avg_sq", v);
    const double x[2] = { c->r->x, c->r->y };
    double d[2];
    decayed(c->g, x, c->h[NADAM_DECOUPLED] != 0 ? 0 : c->h[ADAM_WD], d);
    const double bc2 = 1 - pow(c->h[ADAM_BETA2], c->t);
    for (int i = 0; i < 2; i++) {
        mh[i] = mu_next * m[i] / (1 - prod[0] * mu_next) + (1 - mu) * d[i] / (1 - prod[0]);
        vh[i] = v[i] / bc2;
    }
    line(c, "m̂ = μₜ₊₁m/(1−Πμ·μₜ₊₁) + (1−μₜ)g/(1−Πμ)", 2, mh);
    line(c, "v̂ = v/(1−β₂ᵗ)", 2, vh);
    theta(c, "θ ← θ − lr·m̂/(√v̂ + ε)");
    set_momentum(c, -c->lr, mh);
    const double eps = c->h[ADAM_EPS];
    set_scale(c, c->lr / (sqrt(vh[0]) + eps), c->lr / (sqrt(vh[1]) + eps));
}

static void radam(const Ctx *c)
{
    const double b2 = c->h[ADAM_BETA2], bc2 = 1 - pow(b2, c->t);
    const double rho_inf = 2 / (1 - b2) - 1, rho = rho_inf - 2 * c->t * pow(b2, c->t) / bc2;
    double mh[2], vh[2];
    decay_either(c, RADAM_DECOUPLED);
    buffer(c, "m ← β₁m + (1−β₁)g", "exp_avg");
    buffer(c, "v ← β₂v + (1−β₂)g²", "exp_avg_sq");
    corrected(c, "exp_avg_sq", mh, vh);
    line(c, "m̂ = m/(1−β₁ᵗ)", 2, mh);
    number(c, "ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ)", rho);
    set_momentum(c, -c->lr, mh);
    if (rho > 5) {
        const double r = sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho));
        number(c, "r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))", r);
        const double eps = c->h[ADAM_EPS], *v = c->n->ost.v;
        set_scale(c, c->lr * r * sqrt(bc2) / (sqrt(v[0]) + eps), c->lr * r * sqrt(bc2) / (sqrt(v[1]) + eps));
        theta(c, "θ ← θ − lr·m̂·r·√(1−β₂ᵗ)/(√v + ε)");
    } else {
        theta(c, "θ ← θ − lr·m̂  (ρₜ ≤ 5)");
    }
}

static void rprop(const Ctx *c)
{
    /* No-break spaces keep each condition whole when the line wraps. */
    line(c, "η ← min(η·η₊, ηₘₐₓ) if g·g₋₁ > 0", 0, NULL);
    line(c, "η ← max(η·η₋, ηₘᵢₙ) if g·g₋₁ < 0", 0, NULL);
    buffer(c, "η: the step sizes", "step_size");
    theta(c, "θ ← θ − η·sign(g)");
    double eta[2];
    if (entry(c, "step_size", eta) == 2)
        set_scale(c, eta[0], eta[1]);
}

static void asgd(const Ctx *c)
{
    double d[2];
    l2(c, ASGD_WD, d);
    theta(c, "θ ← θ(1 − λη) − η·g");
    buffer(c, "ax ← ax + μ(θ − ax)", "ax");
    buffer(c, "η ← lr/(1 + λ·lr·t)^α", "eta");
    buffer(c, "μ ← 1/max(1, t − t₀)", "mu");
}

static void adafactor(const Ctx *c)
{
    decoupled(c, AFAC_WD);
    buffer(c, "v ← v + tᶜ·(g² − v)", "variance");
    theta(c, "θ ← θ − ρ·max(ε₂, RMS(θ))·û,  û = g/√v clipped to RMS d");
}

static void lbfgs(const Ctx *c)
{
    buffer(c, "d = −H·g  (two loops over the kept steps)", "d");
    buffer(c, "t: the step length (line search)", "t");
    theta(c, "θ ← θ + t·d");
}

static void newton(const Ctx *c)
{
    theta(c, "θ ← θ − lr·(H + δI)⁻¹·g");
}

static void lion(const Ctx *c)
{
    const double b1 = c->h[LION_BETA1];
    double blend[2];
    for (int i = 0; i < 2; i++)
        blend[i] = c->r->ost.m[i] * b1 + (1 - b1) * c->g[i];
    line(c, "c = β₁m + (1−β₁)g", 2, blend);
    theta(c, c->h[LION_WD] != 0 ? "θ ← θ − lr·(sign(c) + λθ)" : "θ ← θ − lr·sign(c)");
    buffer(c, "m ← β₂m + (1−β₂)g", "exp_avg");
    set_momentum(c, -c->lr, blend);
}

static void qhm(const Ctx *c)
{
    double d[2];
    l2(c, QHM_WD, d);
    buffer(c, "b ← βb + (1−β)g", "momentum_buffer");
    theta(c, "θ ← θ − lr·(νb + (1−ν)g)");
    set_momentum(c, -c->lr * c->h[QHM_NU], c->n->ost.m);
}

static void qhadam(const Ctx *c)
{
    double d[2];
    l2(c, QHADAM_WD, d);
    buffer(c, "m ← β₁m + (1−β₁)g", "exp_avg");
    buffer(c, "v ← β₂v + (1−β₂)g²", "exp_avg_sq");
    theta(c, "θ ← θ − lr·((1−ν₁)g + ν₁m̂)/(√((1−ν₂)g² + ν₂v̂) + ε)");
}

static void sgd_schedulefree(const Ctx *c)
{
    line(c, "y = (1−β)z + βx: where g is taken", 2, c->r->ost.y);
    buffer(c, "z ← z − lr·g", "z");
    theta(c, "x ← (1−cₜ)x + cₜz");
}

static void adamw_schedulefree(const Ctx *c)
{
    buffer(c, "v ← β₂v + (1−β₂)g²", "exp_avg_sq");
    buffer(c, "z ← z − lr·g/(√v̂ + ε)", "z");
    theta(c, "x ← (1−cₜ)x + cₜz");
}

static void prodigy(const Ctx *c)
{
    number(c, "d: the distance estimate", c->n->ost.d);
    buffer(c, "m ← β₁m + (1−β₁)·d·g", "exp_avg");
    buffer(c, "v ← β₂v + (1−β₂)·d²g²", "exp_avg_sq");
    theta(c, "θ ← θ − d·lr·m/(√v + d·ε)");
}

static const struct {
    const char *name;
    void (*parts)(const Ctx *c);
} rows[] = {
    { "sgd", sgd },
    { "adagrad", adagrad },
    { "rmsprop", rmsprop },
    { "adadelta", adadelta },
    { "adam", adam },
    { "adamw", adamw },
    { "adamax", adamax },
    { "nadam", nadam },
    { "radam", radam },
    { "rprop", rprop },
    { "asgd", asgd },
    { "adafactor", adafactor },
    { "lbfgs", lbfgs },
    { "newton", newton },
    { "lion", lion },
    { "qhm", qhm },
    { "qhadam", qhadam },
    { "sgd_schedulefree", sgd_schedulefree },
    { "adamw_schedulefree", adamw_schedulefree },
    { "prodigy", prodigy },
};

static int row_of(const char *name)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(rows[i].name, name) == 0)
            return (int)i;
    return -1;
}

int internals_has_rule(const char *optimizer)
{
    return row_of(optimizer) >= 0;
}

/* A rule this file does not know: its state's buffers by name, then the point. */
static void state_lines(const Ctx *c)
{
    for (int i = 0; i < c->ne; i++)
        if (c->e[i].kind <= OPTIM_VALUE_VECTOR)
            line(c, c->e[i].name, c->e[i].kind == OPTIM_VALUE_NUMBER ? 1 : 2, c->e[i].v);
    theta(c, "θ");
}

int internals_of(const Sim *sim, const Run *r, Internals *out, Rule *rule)
{
    memset(out, 0, sizeof *out);
    if (rule)
        rule->n = 0;
    Run n;
    if (sim_next(sim, r, &n) < 0)
        return -1;
    Ctx c = { .r = r, .n = &n, .lr = r->lr, .t = (double)(r->step + 1), .g = { r->g[0], r->g[1] }, .in = out,
              .rule = rule };
    const OptimDef *def = optim_def(r->opt.kind);
    memcpy(c.h, r->opt.v, sizeof c.h);
    if (def->momentum >= 0 && !isnan(r->momentum))
        c.h[def->momentum] = r->momentum;
    c.ne = optim_state(&n.opt, &n.ost, c.e);
    out->t = r->step + 1;
    out->point[0] = r->x, out->point[1] = r->y;
    out->next[0] = n.x, out->next[1] = n.y;
    out->step[0] = n.x - r->x, out->step[1] = n.y - r->y;
    out->grad_step[0] = -c.lr * c.g[0], out->grad_step[1] = -c.lr * c.g[1];
    const int row = row_of(spec_kind(&optim_table, r->opt.kind)->name);
    if (row >= 0)
        rows[row].parts(&c);
    else
        state_lines(&c);
    if (!(fmax(out->scale[0], out->scale[1]) > 0))
        out->has_scale = 0;
    return 0;
}

static double longest(const Internals *in, double ux, double uy)
{
    const double *v[3] = { in->grad_step, in->step, in->momentum };
    const int on[3] = { 1, 1, in->has_momentum };
    double most = 0;
    for (int i = 0; i < 3; i++)
        if (on[i] && isfinite(v[i][0]) && isfinite(v[i][1]))
            most = fmax(most, hypot(v[i][0] * ux, v[i][1] * uy));
    return most;
}

double internals_arrow_scale(const Internals *in, double ux, double uy, double least)
{
    const double most = longest(in, ux, uy);
    /* 1, 2, 5, 10, 20, ...: round factors a class can take in at a glance. */
    static const double steps[3] = { 2, 2.5, 2 };
    double k = 1;
    for (int i = 0; most > 0 && most * k < least && k < 1e6; i = (i + 1) % 3)
        k *= steps[i];
    return k;
}
