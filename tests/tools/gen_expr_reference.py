#!/usr/bin/python3
"""Reference trajectories for typed functions (expr:...) made by PyTorch's autograd, to
check optiscope's forward-mode derivatives through the real command line.

Usage: ../shared/tools/torch-current.sh tests/tools/gen_expr_reference.py [OUTDIR]
(default OUTDIR: tests/data/reference_extra). The optimizers and the loop are
gen_reference.py's; only the function differs: the formula is turned into a Python
expression on torch tensors (^ is **, which is right associative and binds tighter
than unary minus, as in optiscope).
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_reference as g  # noqa: E402
import torch  # noqa: E402

NAMES = {
    "sin": torch.sin, "cos": torch.cos, "tan": torch.tan, "asin": torch.asin, "acos": torch.acos,
    "atan": torch.atan, "sinh": torch.sinh, "cosh": torch.cosh, "tanh": torch.tanh, "exp": torch.exp,
    "log": torch.log, "log2": torch.log2, "log10": torch.log10, "sqrt": torch.sqrt, "abs": torch.abs,
    "min": torch.minimum, "max": torch.maximum, "pow": torch.pow, "hypot": torch.hypot,
    "atan2": torch.atan2, "pi": math.pi, "e": math.e,
}


def split_top(text):
    """The formula and its NAME=VALUE items: commas outside parentheses separate them."""
    parts, depth, cur = [], 0, ""
    for c in text:
        depth += (c == "(") - (c == ")")
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    return parts + [cur]


def make_expr(spec):
    formula, *items = split_top(spec[len("expr:"):])
    params = {k.strip(): float(v) for k, v in (i.split("=", 1) for i in items)}
    code = compile(formula.replace("^", "**"), "formula", "eval")

    def as_tensor(v, like):
        return v if torch.is_tensor(v) else torch.tensor(v, dtype=like.dtype)

    def f(p):
        env = dict(NAMES, x=p[0], y=p[1], **params)
        return as_tensor(eval(code, {"__builtins__": {}}, env), p)
    return f


plain = g.make_function
g.make_function = lambda spec: make_expr(spec) if spec.startswith("expr:") else plain(spec)

CASES = [
    ("expr_sincos_adam", "expr:sin(x)*cos(y)+0.1*(x^2+y^2)", "2.5,1.5", 200, "adam:lr=0.05", None),
    ("expr_explogtanh_momentum", "expr:0.1*exp(x)+0.1*exp(-x)+log(1+y^2)+tanh(x*y)", "2.0,-1.5", 200,
     "sgd:lr=0.05,momentum=0.9", None),
    ("expr_params_atan2_rmsprop", "expr:a*hypot(x,y)^2+sin(3*atan2(y,x))*sqrt(1+x^2)-b*abs(x-0.5),a=0.5,b=0.1",
     "-2.0,1.0", 200, "rmsprop:lr=0.01", None),
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data", "reference_extra")
    g.CASES = CASES
    sys.argv = [sys.argv[0], os.path.normpath(outdir)]
    g.main()


if __name__ == "__main__":
    main()
