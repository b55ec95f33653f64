#!/usr/bin/env python3
"""Search for the run colours in src/render/theme.c (pure Python, no numpy).

Each run gets one CIE LCh hue shared by both themes; each theme picks its own lightness
and chroma so the colour has at least 3:1 WCAG contrast against that theme's heat-map
middle colour. The search maximises the smallest CIEDE2000 difference between runs under
normal vision and Machado et al. (2009) protanopia, deuteranopia and tritanopia (severity
1.0), over both themes at once. tests/test_palette.c checks the result with the same maths.
Usage: python3 tests/tools/design_palette.py [SOLID-COUNT [RESTARTS]]; theme.c holds the
result of `8 6` (seeded, so it repeats), runs 2-7 reordered so each adds the most distance
to the runs before it."""
import math
import random
import sys

VIRIDIS_MID = (33, 145, 140)  # theme_colormap(0.5), an exact stop of the table
THEMES = {  # heat_toward, heat_mix, minimum marker
    "dark": ((20, 22, 28), 0.42, (255, 255, 255)),
    "light": ((255, 255, 255), 0.55, (0, 0, 0)),
}
MACHADO = {
    "protan": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deutan": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritan": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, -0.691367, 1.687626)),
}
MIN_CONTRAST = 3.05  # a little room over 3:1
MIN_DE_MINIMUM = 12.0
PINNED_HUES = ((40, 66), (240, 290))
TARGET_DE = 10.8  # what the search asks of pairs; the test asks 10
MIN_CHROMA = 20  # muted colours pass the maths but read as grey-brown on a projector


def to_linear(c):
    c /= 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def to_srgb(v):
    v = min(max(v, 0.0), 1.0)
    return 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


def luminance(rgb):
    r, g, b = (to_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def lin_to_lab(lin):
    r, g, b = lin
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def lab_to_rgb(L, a, b):
    fy = (L + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200
    inv = lambda t: t ** 3 if t ** 3 > 216 / 24389 else (116 * t - 16) / (24389 / 27)
    x, y, z = 0.95047 * inv(fx), inv(fy), 1.08883 * inv(fz)
    lin = (3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
           -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
           0.0556434 * x - 0.2040259 * y + 1.0572252 * z)
    if min(lin) < -1e-4 or max(lin) > 1 + 1e-4:
        return None
    return tuple(int(round(255 * to_srgb(v))) for v in lin)


def views(rgb):
    """Lab under normal vision and the three simulated deficiencies."""
    lin = [to_linear(c) for c in rgb]
    out = [lin_to_lab(lin)]
    for m in MACHADO.values():
        sim = [min(max(sum(m[i][k] * lin[k] for k in range(3)), 0.0), 1.0) for i in range(3)]
        out.append(lin_to_lab(sim))
    return out


def de2000(lab1, lab2):
    L1, a1, b1 = lab1
    L2, a2, b2 = lab2
    C1, C2 = math.hypot(a1, b1), math.hypot(a2, b2)
    Cm7 = ((C1 + C2) / 2) ** 7
    G = 0.5 * (1 - math.sqrt(Cm7 / (Cm7 + 25.0 ** 7)))
    a1p, a2p = a1 * (1 + G), a2 * (1 + G)
    C1p, C2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1 = math.degrees(math.atan2(b1, a1p)) % 360 if C1p else 0.0
    h2 = math.degrees(math.atan2(b2, a2p)) % 360 if C2p else 0.0
    dL, dC = L2 - L1, C2p - C1p
    dh = 0.0
    if C1p * C2p:
        dh = h2 - h1
        if dh > 180:
            dh -= 360
        elif dh < -180:
            dh += 360
    dH = 2 * math.sqrt(C1p * C2p) * math.sin(math.radians(dh / 2))
    Lm, Cm = (L1 + L2) / 2, (C1p + C2p) / 2
    hm = h1 + h2
    if C1p * C2p:
        if abs(h1 - h2) <= 180:
            hm = (h1 + h2) / 2
        else:
            hm = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    T = (1 - 0.17 * math.cos(math.radians(hm - 30)) + 0.24 * math.cos(math.radians(2 * hm))
         + 0.32 * math.cos(math.radians(3 * hm + 6)) - 0.20 * math.cos(math.radians(4 * hm - 63)))
    dtheta = 30 * math.exp(-(((hm - 275) / 25) ** 2))
    Rc = 2 * math.sqrt(Cm ** 7 / (Cm ** 7 + 25.0 ** 7))
    SL = 1 + 0.015 * (Lm - 50) ** 2 / math.sqrt(20 + (Lm - 50) ** 2)
    SC, SH = 1 + 0.045 * Cm, 1 + 0.015 * Cm * T
    RT = -math.sin(math.radians(2 * dtheta)) * Rc
    return math.sqrt((dL / SL) ** 2 + (dC / SC) ** 2 + (dH / SH) ** 2 + RT * (dC / SC) * (dH / SH))


def heat_mid(theme):
    toward, t, _ = THEMES[theme]
    return tuple(int(c + (w - c) * t + 0.5) for c, w in zip(VIRIDIS_MID, toward))


def candidates(theme, hue):
    mid, minimum = heat_mid(theme), THEMES[theme][2]
    lights = range(62, 100, 3) if theme == "dark" else range(22, 56, 3)
    out = []
    for L in lights:
        for C in range(MIN_CHROMA, 131, 8):
            rgb = lab_to_rgb(L, C * math.cos(math.radians(hue)), C * math.sin(math.radians(hue)))
            if rgb is None or contrast(rgb, mid) < MIN_CONTRAST:
                continue
            if de2000(views(rgb)[0], views(minimum)[0]) < MIN_DE_MINIMUM:
                continue
            out.append(rgb)
    return out


def pair_score(va, vb):
    return min(de2000(x, y) for x, y in zip(va, vb))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    random.seed(1)
    hues = range(0, 360, 6)
    cand = []  # (hue, dark rgb, light rgb, dark views, light views)
    for h in hues:
        dk, lt = candidates("dark", h), candidates("light", h)
        dk = random.sample(dk, min(len(dk), 8))
        lt = random.sample(lt, min(len(lt), 8))
        for d in dk:
            for l in lt:
                cand.append((h, d, l, views(d), views(l)))
    print(len(cand), "candidates", file=sys.stderr)
    cache = {}

    def score(i, j):
        key = (i, j) if i < j else (j, i)
        if key not in cache:
            a, b = cand[i], cand[j]
            cache[key] = min(pair_score(a[3], b[3]), pair_score(a[4], b[4])) if a[0] != b[0] else 0.0
        return cache[key]

    def total(sel):
        return min(score(sel[i], sel[j]) for i in range(len(sel)) for j in range(i))

    # Maximin local search: the score is the smallest dE00 up to TARGET_DE, then the
    # smallest chroma, so among palettes that pass the brightest wins.
    chroma = [min(math.hypot(*c[3][0][1:]), math.hypot(*c[4][0][1:])) for c in cand]

    def objective(sel):
        return (min(total(sel), TARGET_DE), min(chroma[i] for i in sel))

    # The first runs are pinned to an orange and a blue, the colours people name first and
    # the ones optiscope has always started with.
    pinned = [[i for i, c in enumerate(cand) if lo <= c[0] <= hi] for lo, hi in PINNED_HUES][:n]
    pool = lambda k: pinned[k] if k < len(pinned) else range(len(cand))
    best, best_o = None, (-1, -1)
    for restart in range(int(sys.argv[2]) if len(sys.argv) > 2 else 12):
        sel = [random.choice(pool(k)) for k in range(n)]
        o = objective(sel)
        for it in range(400):
            k = random.randrange(n)
            old = sel[k]
            trial = None
            for c in random.sample(pool(k), min(60, len(pool(k)))):
                sel[k] = c
                oc = objective(sel)
                if oc > o:
                    o, trial = oc, c
            sel[k] = trial if trial is not None else old
        print("restart", restart, o, file=sys.stderr)
        if o > best_o:
            best, best_o = list(sel), o
    best_s = total(best)
    print("min dE00 over both themes and four visions: %.2f" % best_s)
    # The runs past the solid ones get a line or marker style of their own, so their colour
    # need only differ under normal vision; take the farthest from all chosen so far.
    normal = lambda i, j: min(de2000(cand[i][3][0], cand[j][3][0]), de2000(cand[i][4][0], cand[j][4][0]))
    extra = []
    while n + len(extra) < 9:
        pick = max(range(len(cand)), key=lambda c: min(normal(c, s) for s in best + extra))
        extra.append(pick)
    for i in best + extra:
        h, d, l = cand[i][:3]
        print("hue %3d dark %-16s light %-16s  worst normal-vision dE00 to the others %.1f"
              % (h, d, l, min(normal(i, j) for j in best + extra if j != i)))


if __name__ == "__main__":
    main()
