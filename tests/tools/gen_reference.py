#!/usr/bin/python3
"""Generate extra torch.optim reference trajectories for optiscope.

Usage: /usr/bin/python3 tests/tools/gen_reference.py [OUTDIR]
       (default OUTDIR: tests/data/reference_extra next to this script's tests/)

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
                                  "momentum_decay": float}),
    "radam": (torch.optim.RAdam, {"lr": float, "eps": float, "weight_decay": float}),
}
BETA_OPTS = {"adam", "adamw", "adamax", "nadam", "radam"}


def make_optimizer(spec, params):
    name, kv = parse_spec(spec)
    cls, types = OPT_TYPES[name]
    kw = {}
    b1 = b2 = None
    for k, v in kv.items():
        if name in BETA_OPTS and k == "beta1":
            b1 = float(v)
        elif name in BETA_OPTS and k == "beta2":
            b2 = float(v)
        elif k in types:
            kw[k] = types[k](v)
        else:
            raise KeyError(f"{name}: unknown hyperparameter {k}")
    if b1 is not None or b2 is not None:
        d1, d2 = 0.9, 0.999  # torch's default betas for the whole Adam family
        kw["betas"] = (b1 if b1 is not None else d1, b2 if b2 is not None else d2)
    return cls(params, **kw)


def make_scheduler(spec, opt):
    """returns (scheduler, wants_loss)"""
    if spec is None:
        return None, False
    name, kv = parse_spec(spec)
    S = torch.optim.lr_scheduler
    g = lambda k, d=None: float(kv[k]) if k in kv else d  # noqa: E731
    i = lambda k, d=None: int(kv[k]) if k in kv else d  # noqa: E731
    if name == "step":
        return S.StepLR(opt, step_size=i("step_size"), gamma=g("gamma", 0.1)), False
    if name == "multistep":
        ms = [int(m) for m in kv["milestones"].split("/")]
        return S.MultiStepLR(opt, milestones=ms, gamma=g("gamma", 0.1)), False
    if name == "exponential":
        return S.ExponentialLR(opt, gamma=g("gamma")), False
    if name == "cosine":
        return S.CosineAnnealingLR(opt, T_max=i("t_max"), eta_min=g("eta_min", 0.0)), False
    if name == "cosine_restarts":
        return S.CosineAnnealingWarmRestarts(opt, T_0=i("t_0"), T_mult=i("t_mult", 1),
                                             eta_min=g("eta_min", 0.0)), False
    if name == "linear":
        return S.LinearLR(opt, start_factor=g("start_factor", 1.0 / 3),
                          end_factor=g("end_factor", 1.0),
                          total_iters=i("total_iters", 5)), False
    if name == "polynomial":
        return S.PolynomialLR(opt, total_iters=i("total_iters", 5),
                              power=g("power", 1.0)), False
    if name == "onecycle":
        return S.OneCycleLR(opt, max_lr=g("max_lr"), total_steps=i("total_steps"),
                            pct_start=g("pct_start", 0.3),
                            anneal_strategy=kv.get("anneal", "cos"),
                            cycle_momentum=False,
                            div_factor=g("div_factor", 25.0),
                            final_div_factor=g("final_div_factor", 1e4),
                            three_phase=False), False
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
]


def run_case(func_spec, start, steps, opt_spec, sched_spec):
    f = make_function(func_spec)
    x0, y0 = (float(s) for s in start.split(","))
    param = torch.tensor([x0, y0], dtype=torch.float64, requires_grad=True)
    opt = make_optimizer(opt_spec, [param])
    sched, wants_loss = make_scheduler(sched_spec, opt)

    rows = []
    with torch.no_grad():
        rows.append((0, x0, y0, float(f(param.detach())), float(opt.param_groups[0]["lr"])))
    for k in range(1, steps + 1):
        loss = f(param)
        loss.backward()
        loss_before = float(loss.item())
        lr = float(opt.param_groups[0]["lr"])
        opt.step()
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
