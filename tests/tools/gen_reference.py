#!/usr/bin/python3
"""Generate extra reference trajectories for optiscope, with PyTorch 2.6 (torch.optim,
torch.optim.lr_scheduler) and, for the optimizers torch lacks, their authors' code.

Usage: ../shared/tools/torch-current.sh tests/tools/gen_reference.py [OUTDIR]
       (default OUTDIR: tests/data/reference_extra next to this script's tests/)
       with PYTHONPATH naming a folder (under the folder you run from) that holds the
       packages lion_pytorch (lucidrains/lion-pytorch), qhoptim (facebookresearch/qhoptim),
       schedulefree (facebookresearch/schedule_free) and prodigyopt (konstmish/prodigy),
       e.g. exported with `git archive`. Debian 12's python3-torch is 1.13, whose NAdam
       differs from every torch since 2.0: use torch-current.sh.

Each case is written as one CSV in the same format as tests/data/reference:
    # args: <CLI args that reproduce the case>
    step,x,y,loss,lr
    0,x0,y0,f(x0,y0),initial lr
    k,x_k,y_k,f(x_k,y_k),lr used by update k

The CLI spec strings of a case are parsed here and turned into the real
torch.optim / torch.optim.lr_scheduler objects, so the '# args:' line and the
torch computation always come from the same text.  Everything runs in float64.

Loop per step (matches the documented optiscope semantics):
    loss = f(param); loss.backward()
    lr = opt.param_groups[0]['lr']          # read BEFORE opt.step()
    opt.step()
    scheduler.step()  /  scheduler.step(loss_before_step) for plateau
    opt.zero_grad()
    record (param, f(param) in float64, lr)
with these differences: lbfgs steps with a closure (max_iter=1: one iteration per row);
schedule-free optimizers take the gradient in train mode (at y) and record the point in
eval mode (x); prodigy's and schedule-free's lr column is the step size they use
(d * lr, the warmed-up lr); newton is x - lr (H + damping I)^-1 g with torch's Hessian.
"""
import math
import os
import sys

import torch

torch.set_default_dtype(torch.float64)


# ---------------------------------------------------------------- functions
def f_quadratic(p, a=1.0, b=1.0, angle=0.0):
    t = angle * math.pi / 180.0
    c, s = math.cos(t), math.sin(t)
    x, y = p[0], p[1]
    u = x * c + y * s
    v = -x * s + y * c
    return 0.5 * (a * u * u + b * v * v)


def f_rosenbrock(p, a=1.0, b=100.0):
    x, y = p[0], p[1]
    return (a - x) ** 2 + b * (y - x * x) ** 2


def f_himmelblau(p):
    x, y = p[0], p[1]
    return (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2


def f_beale(p):
    x, y = p[0], p[1]
    return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2
            + (2.625 - x + x * y * y * y) ** 2)


def f_booth(p):
    x, y = p[0], p[1]
    return (x + 2.0 * y - 7.0) ** 2 + (2.0 * x + y - 5.0) ** 2


def f_matyas(p):
    x, y = p[0], p[1]
    return 0.26 * (x * x + y * y) - 0.48 * x * y


def f_six_hump_camel(p):
    x, y = p[0], p[1]
    x2, y2 = x * x, y * y
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2


def f_styblinski_tang(p):
    x, y = p[0], p[1]
    x2, y2 = x * x, y * y
    return 0.5 * (x2 * x2 - 16.0 * x2 + 5.0 * x + y2 * y2 - 16.0 * y2 + 5.0 * y)


def f_saddle(p):
    return p[0] * p[0] - p[1] * p[1]


def f_mccormick(p):
    x, y = p[0], p[1]
    d = x - y
    return torch.sin(x + y) + d * d - 1.5 * x + 2.5 * y + 1.0


FUNCTIONS = {
    "quadratic": f_quadratic,
    "rosenbrock": f_rosenbrock,
    "himmelblau": f_himmelblau,
    "beale": f_beale,
    "booth": f_booth,
    "matyas": f_matyas,
    "six_hump_camel": f_six_hump_camel,
    "styblinski_tang": f_styblinski_tang,
    "mccormick": f_mccormick,
    "saddle": f_saddle,
}


# ---------------------------------------------------------------- spec parsing
def parse_spec(spec):
    """'name:k=v,k=v' -> (name, {k: str})"""
    if ":" not in spec:
        return spec, {}
    name, rest = spec.split(":", 1)
    kv = {}
    for item in rest.split(","):
        k, v = item.split("=", 1)
        kv[k] = v
    return name, kv


def make_function(spec):
    name, kv = parse_spec(spec)
    fn = FUNCTIONS[name]
    params = {k: float(v) for k, v in kv.items()}
    return lambda p: fn(p, **params)


def _bool(v):
    if v not in ("0", "1"):
        raise ValueError(f"boolean must be 0/1, got {v!r}")
    return v == "1"


def _choice(*names):
    def parse(v):
        if v not in names:
            raise ValueError(f"expected one of {names}, got {v!r}")
        return v
    return parse


OPT_TYPES = {
    "sgd": (torch.optim.SGD, {"lr": float, "momentum": float, "dampening": float,
                              "nesterov": _bool, "weight_decay": float}),
    "adagrad": (torch.optim.Adagrad, {"lr": float, "lr_decay": float, "eps": float,
                                      "initial_accumulator_value": float,
                                      "weight_decay": float}),
    "rmsprop": (torch.optim.RMSprop, {"lr": float, "alpha": float, "eps": float,
                                      "momentum": float, "centered": _bool,
                                      "weight_decay": float}),
    "adadelta": (torch.optim.Adadelta, {"lr": float, "rho": float, "eps": float,
                                        "weight_decay": float}),
    "adam": (torch.optim.Adam, {"lr": float, "eps": float, "weight_decay": float,
                                "amsgrad": _bool}),
    "adamw": (torch.optim.AdamW, {"lr": float, "eps": float, "weight_decay": float,
                                  "amsgrad": _bool}),
    "adamax": (torch.optim.Adamax, {"lr": float, "eps": float, "weight_decay": float}),
    "nadam": (torch.optim.NAdam, {"lr": float, "eps": float, "weight_decay": float,
                                  "momentum_decay": float, "decoupled_weight_decay": _bool}),
    "radam": (torch.optim.RAdam, {"lr": float, "eps": float, "weight_decay": float,
                                  "decoupled_weight_decay": _bool}),
    "rprop": (torch.optim.Rprop, {"lr": float}),
    "asgd": (torch.optim.ASGD, {"lr": float, "lambd": float, "alpha": float, "t0": float,
                                "weight_decay": float}),
    "adafactor": (torch.optim.Adafactor, {"lr": float, "beta2_decay": float, "d": float,
                                          "weight_decay": float}),
    "lbfgs": (torch.optim.LBFGS, {"lr": float, "history_size": int,
                                  "tolerance_grad": float, "tolerance_change": float}),
}
BETA_OPTS = {"adam", "adamw", "adamax", "nadam", "radam"}
# Defaults where optiscope's differ in form from the class's signature.
AUTHOR_DEFAULTS = {
    "lion": {"lr": 1e-4, "beta1": 0.9, "beta2": 0.99, "weight_decay": 0.0},
    "qhm": {"lr": 1e-3, "momentum": 0.999, "nu": 0.7, "weight_decay": 0.0},
    "qhadam": {"lr": 1e-3, "beta1": 0.995, "beta2": 0.999, "nu1": 0.7, "nu2": 1.0,
               "weight_decay": 0.0, "eps": 1e-8},
}


class Newton:
    """Damped Newton with torch's exact Hessian: p <- p - lr (H + damping I)^-1 g."""

    def __init__(self, params, f, lr=1.0, damping=0.0):
        self.param = params[0]
        self.f = f
        self.param_groups = [{"lr": lr}]
        self.damping = damping

    def step(self):
        p = self.param
        h = torch.autograd.functional.hessian(self.f, p.detach())
        h = h + self.damping * torch.eye(2)
        with torch.no_grad():
            p -= self.param_groups[0]["lr"] * torch.linalg.solve(h, p.grad)

    def zero_grad(self):
        self.param.grad = None


def make_optimizer(spec, params, f):
    """returns (optimizer, kind) with kind one of plain, closure, schedulefree, prodigy"""
    name, kv = parse_spec(spec)
    g = lambda k, d: float(kv[k]) if k in kv else d  # noqa: E731
    if name == "newton":
        return Newton(params, f, lr=g("lr", 1.0), damping=g("damping", 0.0)), "plain"
    if name == "lion":
        import lion_pytorch
        d = AUTHOR_DEFAULTS["lion"]
        return lion_pytorch.Lion(params, lr=g("lr", d["lr"]),
                                 betas=(g("beta1", d["beta1"]), g("beta2", d["beta2"])),
                                 weight_decay=g("weight_decay", d["weight_decay"])), "plain"
    if name == "qhm":
        import qhoptim.pyt
        d = AUTHOR_DEFAULTS["qhm"]
        return qhoptim.pyt.QHM(params, lr=g("lr", d["lr"]), momentum=g("momentum", d["momentum"]),
                               nu=g("nu", d["nu"]),
                               weight_decay=g("weight_decay", d["weight_decay"])), "plain"
    if name == "qhadam":
        import qhoptim.pyt
        d = AUTHOR_DEFAULTS["qhadam"]
        return qhoptim.pyt.QHAdam(params, lr=g("lr", d["lr"]),
                                  betas=(g("beta1", d["beta1"]), g("beta2", d["beta2"])),
                                  nus=(g("nu1", d["nu1"]), g("nu2", d["nu2"])),
                                  weight_decay=g("weight_decay", d["weight_decay"]),
                                  eps=g("eps", d["eps"])), "plain"
    if name in ("sgd_schedulefree", "adamw_schedulefree"):
        import schedulefree
        common = dict(weight_decay=g("weight_decay", 0.0),
                      warmup_steps=int(g("warmup_steps", 0)), r=g("r", 0.0),
                      weight_lr_power=g("weight_lr_power", 2.0))
        if name == "sgd_schedulefree":
            opt = schedulefree.SGDScheduleFree(params, lr=g("lr", 1.0),
                                               momentum=g("momentum", 0.9), **common)
        else:
            opt = schedulefree.AdamWScheduleFree(params, lr=g("lr", 0.0025),
                                                 betas=(g("beta1", 0.9), g("beta2", 0.999)),
                                                 eps=g("eps", 1e-8), **common)
        return opt, "schedulefree"
    if name == "prodigy":
        import prodigyopt
        beta3 = g("beta3", 0.0)
        growth = g("growth_rate", 0.0)
        opt = prodigyopt.Prodigy(params, lr=g("lr", 1.0), betas=(g("beta1", 0.9), g("beta2", 0.999)),
                                 beta3=beta3 if beta3 > 0 else None, eps=g("eps", 1e-8),
                                 weight_decay=g("weight_decay", 0.0),
                                 decouple=kv.get("decouple", "1") == "1",
                                 use_bias_correction=kv.get("use_bias_correction", "0") == "1",
                                 safeguard_warmup=kv.get("safeguard_warmup", "0") == "1",
                                 d0=g("d0", 1e-6), d_coef=g("d_coef", 1.0),
                                 growth_rate=growth if growth > 0 else float("inf"))
        return opt, "prodigy"
    cls, types = OPT_TYPES[name]
    kw = {}
    b1 = b2 = None
    for k, v in kv.items():
        if name in BETA_OPTS and k == "beta1":
            b1 = float(v)
        elif name in BETA_OPTS and k == "beta2":
            b2 = float(v)
        elif name == "rprop" and k in ("eta_minus", "eta_plus", "step_min", "step_max"):
            pass
        elif name == "adafactor" and k in ("eps1", "eps2"):
            pass
        elif name == "lbfgs" and k == "line_search":
            pass
        elif k in types:
            kw[k] = types[k](v)
        else:
            raise KeyError(f"{name}: unknown hyperparameter {k}")
    if b1 is not None or b2 is not None:
        d1, d2 = 0.9, 0.999  # torch's default betas for the whole Adam family
        kw["betas"] = (b1 if b1 is not None else d1, b2 if b2 is not None else d2)
    if name == "rprop":
        kw["etas"] = (g("eta_minus", 0.5), g("eta_plus", 1.2))
        kw["step_sizes"] = (g("step_min", 1e-6), g("step_max", 50.0))
    if name == "adafactor":
        kw["eps"] = (float(kv["eps1"]) if "eps1" in kv else None, g("eps2", 1e-3))
    if name == "lbfgs":
        kw["max_iter"] = 1
        ls = kv.get("line_search", "none")
        kw["line_search_fn"] = None if ls == "none" else _choice("strong_wolfe")(ls)
        return cls(params, **kw), "closure"
    return cls(params, **kw), "plain"


def with_warmup(opt, kv, make):
    """SequentialLR([LinearLR(warmup_factor, 1, warmup), schedule], [warmup]) when asked."""
    S = torch.optim.lr_scheduler
    n = int(kv.get("warmup", "0"))
    if n == 0:
        return make()
    warm = S.LinearLR(opt, start_factor=float(kv.get("warmup_factor", "0.1")), end_factor=1.0,
                      total_iters=n)
    return S.SequentialLR(opt, [warm, make()], milestones=[n])


def make_scheduler(spec, opt):
    """returns (scheduler, wants_loss)"""
    if spec is None:
        return None, False
    name, kv = parse_spec(spec)
    S = torch.optim.lr_scheduler
    g = lambda k, d=None: float(kv[k]) if k in kv else d  # noqa: E731
    i = lambda k, d=None: int(kv[k]) if k in kv else d  # noqa: E731
    base = opt.param_groups[0]["lr"]
    mom = kv.get("cycle_momentum", "1") == "1"
    makers = {
        "step": lambda: S.StepLR(opt, step_size=i("step_size", 30), gamma=g("gamma", 0.1)),
        "multistep": lambda: S.MultiStepLR(opt, milestones=[int(m) for m in kv["milestones"].split("/")],
                                           gamma=g("gamma", 0.1)),
        "exponential": lambda: S.ExponentialLR(opt, gamma=g("gamma", 0.99)),
        "cosine": lambda: S.CosineAnnealingLR(opt, T_max=i("t_max", 100), eta_min=g("eta_min", 0.0)),
        "cosine_restarts": lambda: S.CosineAnnealingWarmRestarts(opt, T_0=i("t_0", 50), T_mult=i("t_mult", 1),
                                                                 eta_min=g("eta_min", 0.0)),
        "linear": lambda: S.LinearLR(opt, start_factor=g("start_factor", 1.0 / 3),
                                     end_factor=g("end_factor", 1.0), total_iters=i("total_iters", 5)),
        "polynomial": lambda: S.PolynomialLR(opt, total_iters=i("total_iters", 5), power=g("power", 1.0)),
        "onecycle": lambda: S.OneCycleLR(opt, max_lr=g("max_lr", base), total_steps=i("total_steps", 1000),
                                         pct_start=g("pct_start", 0.3), anneal_strategy=kv.get("anneal", "cos"),
                                         cycle_momentum=mom, base_momentum=g("base_momentum", 0.85),
                                         max_momentum=g("max_momentum", 0.95),
                                         div_factor=g("div_factor", 25.0),
                                         final_div_factor=g("final_div_factor", 1e4), three_phase=False),
        "cyclic": lambda: S.CyclicLR(opt, base_lr=g("base_lr", base),
                                     max_lr=g("max_lr", 4.0 * g("base_lr", base)),
                                     step_size_up=i("step_size_up", 2000),
                                     step_size_down=i("step_size_down", 0) or None,
                                     mode=kv.get("mode", "triangular"), gamma=g("gamma", 1.0),
                                     cycle_momentum=mom, base_momentum=g("base_momentum", 0.8),
                                     max_momentum=g("max_momentum", 0.9)),
    }
    if name in makers:
        return with_warmup(opt, kv, makers[name]), False
    if name == "plateau":
        return S.ReduceLROnPlateau(opt, mode="min", factor=g("factor", 0.1),
                                   patience=i("patience", 10),
                                   threshold=g("threshold", 1e-4),
                                   threshold_mode=kv.get("threshold_mode", "rel"),
                                   cooldown=i("cooldown", 0),
                                   min_lr=g("min_lr", 0.0)), True
    raise KeyError(f"unknown schedule {name}")


# ---------------------------------------------------------------- cases
# (file stem, function spec, start "X,Y", steps, optimizer spec, schedule spec or None)
CASES = [
    # --- optimizer hyperparameters the shared set leaves at their defaults
    ("rosenbrock_sgd_dampening_wd", "rosenbrock", "-1.5,2.0", 300,
     "sgd:lr=0.0005,momentum=0.9,dampening=0.3,weight_decay=0.1", None),
    ("rosenbrock_sgd_nesterov_wd", "rosenbrock", "-1.5,2.0", 300,
     "sgd:lr=0.0005,momentum=0.9,nesterov=1,weight_decay=0.05", None),
    ("quadratic_adagrad_lrdecay_init_wd", "quadratic:a=1,b=10", "-4.0,1.5", 250,
     "adagrad:lr=0.5,lr_decay=0.01,initial_accumulator_value=0.1,weight_decay=0.05", None),
    ("himmelblau_rmsprop_centered_momentum", "himmelblau", "0.5,-4.0", 250,
     "rmsprop:lr=0.01,centered=1,momentum=0.5", None),
    ("beale_rmsprop_alpha_wd", "beale", "1.0,1.5", 300,
     "rmsprop:lr=0.005,alpha=0.9,weight_decay=0.01", None),
    ("himmelblau_adadelta_rho_eps_wd", "himmelblau", "0.5,-4.0", 300,
     "adadelta:lr=1.0,rho=0.95,eps=1e-5,weight_decay=0.01", None),
    ("rosenbrock_adam_amsgrad", "rosenbrock", "-1.5,2.0", 300,
     "adam:lr=0.02,amsgrad=1", None),
    ("matyas_adam_betas_wd", "matyas", "8.0,-6.0", 250,
     "adam:lr=0.05,beta1=0.8,beta2=0.99,weight_decay=0.1", None),
    ("beale_adamw_amsgrad_wd", "beale", "1.0,1.5", 300,
     "adamw:lr=0.01,amsgrad=1,weight_decay=0.05", None),
    ("booth_adamax_beta1_wd", "booth", "-6.0,-6.0", 250,
     "adamax:lr=0.1,beta1=0.8,weight_decay=0.05", None),
    ("matyas_nadam_momentum_decay_wd", "matyas", "8.0,-6.0", 250,
     "nadam:lr=0.05,momentum_decay=0.01,weight_decay=0.02", None),
    ("six_hump_camel_radam_beta2_wd", "six_hump_camel", "-1.5,1.0", 250,
     "radam:lr=0.01,beta2=0.99,weight_decay=0.05", None),
    ("quadratic_sgd_momentum_angle30", "quadratic:a=1,b=20,angle=30", "-4.0,-1.0", 200,
     "sgd:lr=0.05,momentum=0.8", None),
    # --- schedules and schedule options the shared set leaves untested
    ("rosenbrock_sgd_onecycle_linear", "rosenbrock", "-1.5,2.0", 250,
     "sgd:lr=0.001,momentum=0.9",
     "onecycle:max_lr=0.001,total_steps=250,pct_start=0.25,anneal=linear,"
     "div_factor=10,final_div_factor=100"),
    ("rosenbrock_adam_onecycle", "rosenbrock", "-1.5,2.0", 300,
     "adam:lr=0.05", "onecycle:max_lr=0.05,total_steps=300"),
    ("rosenbrock_adam_plateau_abs_cooldown", "rosenbrock", "-1.5,2.0", 300,
     "adam:lr=0.05",
     "plateau:factor=0.5,patience=3,threshold=0.01,threshold_mode=abs,cooldown=3,min_lr=0.001"),
    ("quadratic_sgd_cosine_past_tmax", "quadratic:a=1,b=10", "-4.0,1.5", 200,
     "sgd:lr=0.15", "cosine:t_max=60,eta_min=0.01"),
    ("rosenbrock_adam_restarts_tmult1", "rosenbrock", "-1.5,2.0", 300,
     "adam:lr=0.05", "cosine_restarts:t_0=40,t_mult=1,eta_min=0.001"),
    ("quadratic_sgd_multistep_single", "quadratic:a=1,b=10", "-4.0,1.5", 200,
     "sgd:lr=0.15", "multistep:milestones=50,gamma=0.2"),
    ("quadratic_momentum_linear_decay", "quadratic:a=1,b=20,angle=-20", "-4.0,1.5", 200,
     "sgd:lr=0.05,momentum=0.8", "linear:start_factor=1,end_factor=0.1,total_iters=100"),
    ("himmelblau_sgd_polynomial_short", "himmelblau", "0.5,-4.0", 200,
     "sgd:lr=0.005", "polynomial:total_iters=120,power=1"),
    ("rosenbrock_adam_exponential", "rosenbrock", "-1.5,2.0", 300,
     "adam:lr=0.05", "exponential:gamma=0.99"),
    ("beale_rmsprop_step", "beale", "1.0,1.5", 300,
     "rmsprop:lr=0.01", "step:step_size=40,gamma=0.5"),
    # --- functions the shared set does not exercise (or barely)
    ("mccormick_adam", "mccormick", "3.0,3.0", 200, "adam:lr=0.05", None),
    ("mccormick_sgd_momentum", "mccormick", "-1.2,2.0", 200,
     "sgd:lr=0.02,momentum=0.7", None),
    ("styblinski_tang_rmsprop_centered", "styblinski_tang", "0.5,4.0", 200,
     "rmsprop:lr=0.02,centered=1", None),
    ("styblinski_tang_sgd_nesterov", "styblinski_tang", "-4.5,0.3", 200,
     "sgd:lr=0.005,momentum=0.8,nesterov=1", None),
    ("booth_adagrad_lrdecay", "booth", "8.0,-6.0", 200,
     "adagrad:lr=1.0,lr_decay=0.005", None),
    ("himmelblau_nadam_wd", "himmelblau", "-0.5,0.5", 200,
     "nadam:lr=0.05,weight_decay=0.01", None),
    ("himmelblau_adamw_cosine_past_tmax", "himmelblau", "0.0,-1.0", 200,
     "adamw:lr=0.1,weight_decay=0.01", "cosine:t_max=50,eta_min=0.01"),
    # --- torch >= 2.0: decoupled weight decay in NAdam and RAdam
    ("matyas_nadam_decoupled", "matyas", "8.0,-6.0", 250,
     "nadam:lr=0.05,weight_decay=0.05,decoupled_weight_decay=1", None),
    ("six_hump_camel_radam_decoupled", "six_hump_camel", "-1.5,1.0", 250,
     "radam:lr=0.01,weight_decay=0.05,decoupled_weight_decay=1", None),
    # --- the optimizers new in optiscope, every hyperparameter away from its default
    ("himmelblau_rprop_etas_steps", "himmelblau", "0.5,-4.0", 200,
     "rprop:lr=0.05,eta_minus=0.3,eta_plus=1.5,step_min=0.001,step_max=0.5", None),
    ("rosenbrock_asgd_all", "rosenbrock", "-1.5,2.0", 300,
     "asgd:lr=0.0005,lambd=0.01,alpha=0.5,t0=50,weight_decay=0.01", None),
    ("booth_adafactor_all", "booth", "-6.0,-6.0", 200,
     "adafactor:lr=0.05,beta2_decay=-0.5,eps1=1e-12,eps2=0.01,d=2,weight_decay=0.01", None),
    ("booth_lbfgs_history", "booth", "-6.0,-6.0", 40,
     "lbfgs:lr=0.3,history_size=2,line_search=none", None),
    ("himmelblau_lbfgs_wolfe_history", "himmelblau", "0.5,-4.0", 40,
     "lbfgs:history_size=3,line_search=strong_wolfe,tolerance_grad=1e-5,tolerance_change=1e-6", None),
    ("quadratic_lbfgs_tolerance", "quadratic:a=1,b=10,angle=30", "-4.0,1.5", 60,
     "lbfgs:lr=0.2,tolerance_grad=1e-3,tolerance_change=1e-4", None),
    ("rosenbrock_newton_damped", "rosenbrock", "-1.5,2.0", 60, "newton:lr=0.5,damping=2", None),
    ("saddle_newton", "saddle", "-1.8,0.05", 10, "newton", None),
    ("himmelblau_lion_betas_wd", "himmelblau", "0.0,0.0", 300,
     "lion:lr=0.02,beta1=0.8,beta2=0.95,weight_decay=0.1", None),
    ("rosenbrock_qhm_nu_wd", "rosenbrock", "-1.5,2.0", 300,
     "qhm:lr=0.002,momentum=0.9,nu=0.5,weight_decay=0.01", None),
    ("beale_qhadam_all", "beale", "1.0,1.5", 300,
     "qhadam:lr=0.02,beta1=0.9,beta2=0.99,nu1=0.8,nu2=0.9,weight_decay=0.01,eps=1e-6", None),
    ("quadratic_sgd_schedulefree_all", "quadratic:a=1,b=10", "-4.0,1.5", 300,
     "sgd_schedulefree:lr=0.05,momentum=0.8,weight_decay=0.01,warmup_steps=10,r=1,weight_lr_power=1", None),
    ("rosenbrock_adamw_schedulefree_all", "rosenbrock", "-1.5,2.0", 300,
     "adamw_schedulefree:lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,r=0.5,weight_lr_power=1",
     None),
    ("rosenbrock_prodigy_bias_safeguard", "rosenbrock", "-1.5,2.0", 300,
     "prodigy:use_bias_correction=1,safeguard_warmup=1", None),
    ("booth_prodigy_coupled_wd", "booth", "-6.0,-6.0", 200,
     "prodigy:weight_decay=0.01,decouple=0,beta3=0.9,d0=1e-4,d_coef=0.5,growth_rate=1.05", None),
    ("himmelblau_prodigy_decoupled_wd", "himmelblau", "0.5,-4.0", 200,
     "prodigy:lr=0.5,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,decouple=1", None),
    # --- momentum cycled by onecycle and cyclic (momentum, beta1), and not
    ("rosenbrock_adam_onecycle_momentum", "rosenbrock", "-1.5,2.0", 300,
     "adam:lr=0.05", "onecycle:total_steps=300,base_momentum=0.8,max_momentum=0.9"),
    ("rosenbrock_sgd_onecycle_no_momentum", "rosenbrock", "-1.5,2.0", 300,
     "sgd:lr=0.001,momentum=0.9", "onecycle:total_steps=300,cycle_momentum=0"),
    ("quadratic_rmsprop_onecycle", "quadratic:a=1,b=10", "-4.0,1.5", 200,
     "rmsprop:lr=0.05", "onecycle:total_steps=200,pct_start=0.4"),
    ("quadratic_sgd_cyclic_triangular2", "quadratic:a=1,b=10", "-4.0,1.5", 300,
     "sgd:lr=0.02", "cyclic:max_lr=0.15,step_size_up=30,step_size_down=20,mode=triangular2"),
    ("rosenbrock_adam_cyclic_exp_range", "rosenbrock", "-1.5,2.0", 300,
     "adam:lr=0.01", "cyclic:max_lr=0.05,step_size_up=40,mode=exp_range,gamma=0.995,"
     "base_momentum=0.85,max_momentum=0.95"),
    ("quadratic_sgd_cyclic_no_momentum", "quadratic:a=1,b=10", "-4.0,1.5", 300,
     "sgd:lr=0.02,momentum=0.5", "cyclic:base_lr=0.01,step_size_up=25,cycle_momentum=0"),
    # --- warmup before each torch-style schedule
    ("quadratic_sgd_warmup_step", "quadratic:a=1,b=10", "-4.0,1.5", 200,
     "sgd:lr=0.15", "step:step_size=40,gamma=0.5,warmup=20"),
    ("quadratic_sgd_warmup_multistep", "quadratic:a=1,b=10", "-4.0,1.5", 200,
     "sgd:lr=0.15", "multistep:milestones=30/80,gamma=0.3,warmup=10,warmup_factor=0.5"),
    ("rosenbrock_adam_warmup_exponential", "rosenbrock", "-1.5,2.0", 300,
     "adam:lr=0.05", "exponential:gamma=0.99,warmup=25,warmup_factor=0.01"),
    ("rosenbrock_adam_warmup_restarts", "rosenbrock", "-1.5,2.0", 300,
     "adam:lr=0.05", "cosine_restarts:t_0=40,t_mult=2,warmup=15"),
    ("quadratic_sgd_warmup_linear", "quadratic:a=1,b=10", "-4.0,1.5", 200,
     "sgd:lr=0.15", "linear:start_factor=1,end_factor=0.2,total_iters=100,warmup=10"),
    ("quadratic_sgd_warmup_polynomial", "quadratic:a=1,b=10", "-4.0,1.5", 200,
     "sgd:lr=0.15", "polynomial:total_iters=150,power=2,warmup=30"),
    ("rosenbrock_sgd_warmup_onecycle", "rosenbrock", "-1.5,2.0", 280,
     "sgd:lr=0.001,momentum=0.9", "onecycle:total_steps=250,warmup=30"),
    ("quadratic_adam_warmup_cyclic", "quadratic:a=1,b=10", "-4.0,1.5", 300,
     "adam:lr=0.05", "cyclic:base_lr=0.02,max_lr=0.1,step_size_up=30,warmup=20,warmup_factor=0.2"),
    ("quadratic_sgd_warmup_cosine_factor", "quadratic:a=1,b=10", "-4.0,1.5", 200,
     "sgd:lr=0.15,momentum=0.5", "cosine:t_max=150,eta_min=0.01,warmup=20,warmup_factor=0.5"),
]


def step_size(opt, kind):
    """The lr column: the step size the next update takes."""
    group = opt.param_groups[0]
    if kind == "prodigy":
        bias = 1.0
        if group["use_bias_correction"]:
            b1, b2 = group["betas"]
            k = group["k"]
            bias = ((1 - b2 ** (k + 1)) ** 0.5) / (1 - b1 ** (k + 1))
        return group["d"] * group["lr"] * bias
    if kind == "schedulefree":
        k, warm = group["k"], group["warmup_steps"]
        return group["lr"] * ((k + 1) / warm if k < warm else 1.0)
    return group["lr"]


def run_case(func_spec, start, steps, opt_spec, sched_spec):
    f = make_function(func_spec)
    x0, y0 = (float(s) for s in start.split(","))
    param = torch.tensor([x0, y0], dtype=torch.float64, requires_grad=True)
    opt, kind = make_optimizer(opt_spec, [param], f)
    sched, wants_loss = make_scheduler(sched_spec, opt)

    def closure():
        opt.zero_grad()
        loss = f(param)
        loss.backward()
        return loss

    rows = []
    with torch.no_grad():
        rows.append((0, x0, y0, float(f(param.detach())), float(step_size(opt, kind))))
    for k in range(1, steps + 1):
        lr = float(step_size(opt, kind))
        if kind == "schedulefree":
            opt.train()
        if kind == "closure":
            with torch.no_grad():
                loss_before = float(f(param.detach()))
            opt.step(closure)
        else:
            loss = f(param)
            loss.backward()
            loss_before = float(loss.item())
            opt.step()
        if kind == "schedulefree":
            opt.eval()
        if sched is not None:
            if wants_loss:
                sched.step(loss_before)
            else:
                sched.step()
        opt.zero_grad()
        with torch.no_grad():
            p = param.detach()
            rows.append((k, float(p[0]), float(p[1]), float(f(p)), lr))
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "data", "reference_extra")
    outdir = os.path.normpath(outdir)
    os.makedirs(outdir, exist_ok=True)
    for stem, func_spec, start, steps, opt_spec, sched_spec in CASES:
        rows = run_case(func_spec, start, steps, opt_spec, sched_spec)
        for r in rows:
            if not all(math.isfinite(v) for v in r[1:]):
                raise SystemExit(f"{stem}: non-finite value at step {r[0]}")
        args = (f"--function {func_spec} --start {start} --steps {steps} "
                f"--optimizer {opt_spec}")
        if sched_spec:
            args += f" --schedule {sched_spec}"
        path = os.path.join(outdir, stem + ".csv")
        with open(path, "w") as fh:
            fh.write(f"# args: {args}\n")
            fh.write("step,x,y,loss,lr\n")
            for k, x, y, l, lr in rows:
                fh.write("%d,%.17g,%.17g,%.17g,%.17g\n" % (k, x, y, l, lr))
        last = rows[-1]
        print(f"{stem}: start ({start}) loss {rows[0][3]:.4g} -> "
              f"({last[1]:.4f},{last[2]:.4f}) loss {last[3]:.4g}, lr {last[4]:.3g}")


if __name__ == "__main__":
    main()
