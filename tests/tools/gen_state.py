#!/usr/bin/python3
"""Generate optimizer-state reference cases for optiscope with PyTorch 2.6: torch.optim's
optimizer.state[p] after N updates, for every torch.optim optimizer the program has, and
the state the authors' code keeps for the optimizers torch lacks.

Usage: ../shared/tools/torch-current.sh tests/tools/gen_state.py [OUTDIR]
       (default OUTDIR: tests/data/reference_state next to this script's tests/)
       with PYTHONPATH naming the authors' packages as for gen_reference.py (the cases
       here were made from lion-pytorch 6a74fdc, qhoptim e81dea3, schedule_free 70785b5,
       prodigy 3efb213).

Each case is one JSON file in the format of ../shared/reference_state:
    {"args": "<CLI args without --steps>", "steps": N, "state": {...}}
tensors of shape [] and Python numbers as numbers, tensors of shape [2] as [x, y], lists
(L-BFGS's old_dirs, old_stps, ro, al) as lists of those, None as null.

The functions, the spec parsing and the optimizers are gen_reference.py's, so the args
and the torch computation come from the same text; the loop is its run_case without a
schedule (L-BFGS steps with a closure, max_iter=1; schedule-free steps in train mode and
is left in eval mode). Everything runs in float64.

L-BFGS's al has history_size slots, None until the two-loop recursion first fills them.
../shared/tools/check_state.py cannot compare None, so a case whose state holds one goes to
the sibling folder OUTDIR_none (tests/data/reference_state_none), which only
tests/test_state.c reads.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_reference import make_function, make_optimizer  # noqa: E402

# (file stem, function spec, start "X,Y", steps, optimizer spec)
CASES = [
    ("sgd_nesterov_wd", "rosenbrock", "-1.5,2.0", 40,
     "sgd:lr=0.0005,momentum=0.9,nesterov=1,weight_decay=0.05"),
    ("sgd_dampening_wd", "quadratic:a=1,b=10", "-4.0,1.5", 30,
     "sgd:lr=0.02,momentum=0.8,dampening=0.3,weight_decay=0.1"),
    ("adam_amsgrad", "rosenbrock", "-1.5,2.0", 40, "adam:lr=0.02,amsgrad=1"),
    ("adam_betas_wd", "matyas", "8.0,-6.0", 30, "adam:lr=0.05,beta1=0.8,beta2=0.99,weight_decay=0.1"),
    ("adamw_amsgrad_wd", "beale", "1.0,1.5", 40, "adamw:lr=0.01,amsgrad=1,weight_decay=0.05"),
    ("adamax_beta1_wd", "booth", "-6.0,-6.0", 30, "adamax:lr=0.1,beta1=0.8,weight_decay=0.05"),
    ("nadam_momentum_decay_wd", "matyas", "8.0,-6.0", 30,
     "nadam:lr=0.05,momentum_decay=0.01,weight_decay=0.02"),
    ("nadam_decoupled", "himmelblau", "-0.5,0.5", 30,
     "nadam:lr=0.05,weight_decay=0.05,decoupled_weight_decay=1"),
    ("radam_beta2_wd", "six_hump_camel", "-1.5,1.0", 30, "radam:lr=0.01,beta2=0.99,weight_decay=0.05"),
    ("radam_decoupled", "six_hump_camel", "-1.5,1.0", 30,
     "radam:lr=0.01,weight_decay=0.05,decoupled_weight_decay=1"),
    ("adadelta_rho_eps_wd", "himmelblau", "0.5,-4.0", 30, "adadelta:lr=1.0,rho=0.95,eps=1e-5,weight_decay=0.01"),
    ("adagrad_lrdecay_init_wd", "quadratic:a=1,b=10", "-4.0,1.5", 30,
     "adagrad:lr=0.5,lr_decay=0.01,initial_accumulator_value=0.1,weight_decay=0.05"),
    ("rmsprop_centered_momentum_wd", "himmelblau", "0.5,-4.0", 30,
     "rmsprop:lr=0.01,alpha=0.9,centered=1,momentum=0.5,weight_decay=0.01"),
    ("asgd_all", "rosenbrock", "-1.5,2.0", 40, "asgd:lr=0.0005,lambd=0.01,alpha=0.5,t0=15,weight_decay=0.01"),
    ("rprop_etas_steps", "himmelblau", "0.5,-4.0", 30,
     "rprop:lr=0.05,eta_minus=0.3,eta_plus=1.5,step_min=0.001,step_max=0.5"),
    ("adafactor_all", "booth", "-6.0,-6.0", 30,
     "adafactor:lr=0.05,beta2_decay=-0.5,eps1=1e-12,eps2=0.01,d=2,weight_decay=0.01"),
    ("lbfgs_history", "booth", "-6.0,-6.0", 8, "lbfgs:lr=0.3,history_size=2,line_search=none"),
    ("lbfgs_wolfe_history", "himmelblau", "0.5,-4.0", 6,
     "lbfgs:history_size=3,line_search=strong_wolfe,tolerance_grad=1e-5,tolerance_change=1e-6"),
    ("lbfgs_converged", "quadratic:a=1,b=10,angle=30", "-4.0,1.5", 15,
     "lbfgs:history_size=2,tolerance_grad=1e-3,tolerance_change=1e-4"),
    ("lbfgs_below_tolerance", "rosenbrock", "-1.2,1.0", 2, "lbfgs:tolerance_grad=1000"),
    ("lbfgs_al_none", "rosenbrock", "-1.2,1.0", 3, "lbfgs:lr=0.001"),
    ("lbfgs_al_none_wolfe", "himmelblau", "0.5,-4.0", 4, "lbfgs:history_size=10,line_search=strong_wolfe"),
    # the authors' code (PYTHONPATH as for gen_reference.py)
    ("lion_betas_wd", "himmelblau", "0.0,0.0", 30, "lion:lr=0.02,beta1=0.8,beta2=0.95,weight_decay=0.1"),
    ("qhm_nu_wd", "rosenbrock", "-1.5,2.0", 30, "qhm:lr=0.002,momentum=0.9,nu=0.5,weight_decay=0.01"),
    ("qhadam_all", "beale", "1.0,1.5", 30,
     "qhadam:lr=0.02,beta1=0.9,beta2=0.99,nu1=0.8,nu2=0.9,weight_decay=0.01,eps=1e-6"),
    ("sgd_schedulefree_all", "quadratic:a=1,b=10", "-4.0,1.5", 30,
     "sgd_schedulefree:lr=0.05,momentum=0.8,weight_decay=0.01,warmup_steps=10,r=1,weight_lr_power=1"),
    ("adamw_schedulefree_all", "rosenbrock", "-1.5,2.0", 30,
     "adamw_schedulefree:lr=0.02,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.01,r=0.5,weight_lr_power=1"),
    ("prodigy_bias_safeguard", "rosenbrock", "-1.5,2.0", 30, "prodigy:use_bias_correction=1,safeguard_warmup=1"),
    ("prodigy_coupled_wd", "booth", "-6.0,-6.0", 30,
     "prodigy:weight_decay=0.01,decouple=0,beta3=0.9,d0=1e-4,d_coef=0.5,growth_rate=1.05"),
    ("prodigy_beta1_0", "himmelblau", "0.5,-4.0", 30, "prodigy:lr=0.5,beta1=0,beta2=0.99,eps=1e-6"),
]


def plain(v):
    """A state value as JSON: numbers, [x, y], lists of those, None."""
    if v is None or isinstance(v, (int, float)):
        return v
    if isinstance(v, torch.Tensor):
        return v.item() if v.dim() == 0 else [float(a) for a in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [plain(a) for a in v]
    raise TypeError(f"state value of type {type(v).__name__}")


def run_state(func_spec, start, steps, opt_spec):
    f = make_function(func_spec)
    x0, y0 = (float(s) for s in start.split(","))
    param = torch.tensor([x0, y0], dtype=torch.float64, requires_grad=True)
    opt, kind = make_optimizer(opt_spec, [param], f)

    def closure():
        opt.zero_grad()
        loss = f(param)
        loss.backward()
        return loss

    for _ in range(steps):
        if kind == "schedulefree":
            opt.train()
        if kind == "closure":
            opt.step(closure)
        else:
            f(param).backward()
            opt.step()
        if kind == "schedulefree":
            opt.eval()
        opt.zero_grad()
    return {k: plain(v) for k, v in opt.state[param].items()}


def holds_none(v):
    return v is None or (isinstance(v, list) and any(holds_none(a) for a in v))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = os.path.normpath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "data", "reference_state"))
    for stem, func_spec, start, steps, opt_spec in CASES:
        state = run_state(func_spec, start, steps, opt_spec)
        case = {"args": f"--function {func_spec} --start {start} --optimizer {opt_spec}",
                "steps": steps, "state": state}
        folder = outdir + "_none" if holds_none(list(state.values())) else outdir
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "state_" + stem + ".json"), "w") as fh:
            json.dump(case, fh, indent=1, allow_nan=False)
            fh.write("\n")
        print(f"state_{stem}: {', '.join(state)}")


if __name__ == "__main__":
    main()
