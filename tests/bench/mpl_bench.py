"""The same scene as tests/bench/bench.scene drawn the way people do it today with matplotlib:
Rosenbrock as a log-scaled heat map, 18 isolines, the eight trajectories optiscope computed
(read from its --trace), a legend, and loss and lr insets. Prints `name value unit` lines
like `optiscope --bench`: the redraw time while the runs advance one step per frame, and
the time savefig takes to write the picture as a PNG. With --record, the way the lecture
animations are made today: FuncAnimation growing the trajectories one step per frame, piped
by FFMpegWriter to ffmpeg as H.264 MP4 with the x264 settings optiscope uses (veryfast, CRF
20), timed from the first figure to the finished file.

    python3 mpl_bench.py TRACE.csv WIDTHxHEIGHT FRAMES START_STEP
    python3 mpl_bench.py --record TRACE.csv WIDTHxHEIGHT FRAMES OUT.mp4
"""
import csv
import os
import resource
import sys
import tempfile
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FFMpegWriter, FuncAnimation  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402

DPI = 100
LEVELS = 18  # THEME_ISOLINES in src/render/theme.h
SAMPLE_STEP = 2  # optiscope samples the field once per 2x2 pixels at these sizes


def read_trace(path):
    runs = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            r = runs.setdefault(row["run"], {"x": [], "y": [], "loss": [], "lr": []})
            for key in r:
                r[key].append(float(row[key]))
    return {name: {k: np.array(v) for k, v in r.items()} for name, r in runs.items()}


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def build(width, height, runs, shown):
    fig = plt.figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    ax = fig.add_axes([0.04, 0.08, 0.94, 0.88])
    aspect = (0.94 * width) / (0.88 * height)
    x0, x1 = -2.0 * aspect, 2.0 * aspect  # the box optiscope fits: y in [-1, 3], equal scale
    y0, y1 = -1.0, 3.0
    nx, ny = int(0.94 * width) // SAMPLE_STEP, int(0.88 * height) // SAMPLE_STEP
    X, Y = np.meshgrid(np.linspace(x0, x1, nx), np.linspace(y0, y1, ny))
    Z = rosenbrock(X, Y) + 1e-3
    ax.imshow(Z, origin="lower", extent=(x0, x1, y0, y1), norm=LogNorm(), cmap="viridis", aspect="equal")
    ax.contour(X, Y, Z, levels=np.geomspace(Z.min() * 2, Z.max() * 0.9, LEVELS), colors="white",
               linewidths=1.1, alpha=0.3)
    lines = []
    for name, r in runs.items():
        (line,) = ax.plot(r["x"][:shown], r["y"][:shown], lw=2.6, label=name)
        lines.append(line)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.legend(loc="upper right")
    ax.set_title("Eight optimizers on Rosenbrock")
    insets = []
    for k, key in enumerate(("loss", "lr")):
        inset = fig.add_axes([0.76, 0.12 + 0.16 * (1 - k), 0.2, 0.13])
        inset.set_yscale("log")
        inset.set_title(key, fontsize=9)
        for r in runs.values():
            (line,) = inset.plot(np.arange(shown), np.maximum(r[key][:shown], 1e-300), lw=2)
            insets.append((line, key, r))
    return fig, lines, insets


def show(lines, insets, runs, n):
    """The first n points of every trajectory and of the loss and lr curves."""
    for line, r in zip(lines, runs.values()):
        line.set_data(r["x"][:n], r["y"][:n])
    for line, key, r in insets:
        line.set_data(np.arange(n), np.maximum(r[key][:n], 1e-300))
    return lines + [line for line, _, _ in insets]


def record(trace, size, frames, out):
    width, height = (int(v) for v in size.split("x"))
    t0 = time.perf_counter()
    runs = read_trace(trace)
    fig, lines, insets = build(width, height, runs, 1)
    # Frame k shows the points after k + 1 steps, as optiscope's frame k + 1 with one step a frame.
    anim = FuncAnimation(fig, lambda k: show(lines, insets, runs, k + 2), frames=frames, blit=False)
    writer = FFMpegWriter(fps=30, codec="libx264",
                          extra_args=["-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"])
    anim.save(out, writer=writer, dpi=DPI)
    print("record_s %.3f s" % (time.perf_counter() - t0))


def main():
    if sys.argv[1] == "--record":
        record(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        return
    trace, size, frames, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    width, height = (int(v) for v in size.split("x"))
    runs = read_trace(trace)
    fig, lines, insets = build(width, height, runs, start)
    fig.canvas.draw()
    times = []
    for k in range(1, frames + 1):
        t0 = time.perf_counter()
        show(lines, insets, runs, start + k)
        fig.canvas.draw()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    print("frames %d" % frames)
    print("size %dx%d px" % fig.canvas.get_width_height())
    print("median %.3f ms" % times[len(times) // 2])
    print("p95 %.3f ms" % times[min(len(times) - 1, int(len(times) * 0.95))])
    fd, path = tempfile.mkstemp(suffix=".png")
    os.close(fd)
    t0 = time.perf_counter()
    fig.savefig(path, dpi=DPI)
    print("shot_ms %.1f ms" % ((time.perf_counter() - t0) * 1e3))
    os.unlink(path)
    print("peak_rss_mb %.1f MB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


if __name__ == "__main__":
    main()
