"""The 3D view of tests/bench/bench.scene drawn the way it is done today with matplotlib:
plot_surface of Rosenbrock's log-scaled loss over the home box at the mesh resolution
optiscope used (its `surface mesh` line), coloured with viridis, and the eight trajectories
optiscope computed (read from its --trace) as plot lines on it. Prints `name value unit`
lines like `optiscope --bench`: the redraw time while the runs advance one step per frame
with the camera standing (`surface`), and while the camera turns 4 degrees a frame
(`orbit`), the whole figure drawn each time as matplotlib does.

    python3 mpl_surface.py TRACE.csv WIDTHxHEIGHT MESH FRAMES START_STEP
"""
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from mpl_bench import DPI, read_trace, rosenbrock  # noqa: E402

BOX = (-2.0, 2.0, -1.0, 3.0)  # the scene's home box, which optiscope's 3D view shows
AZIMUTH, ELEVATION = 300, 30  # optiscope's default camera (matplotlib's azim -60, elev 30)


def height(f, lo, hi):
    """optiscope's log scale (core/field.c): four decades between the floor and the top."""
    shift = 1e-4 * (hi - lo)
    return np.log((f - lo + shift) / shift) / np.log((hi - lo + shift) / shift)


def main():
    trace, size, mesh, frames, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    width, height_px = (int(v) for v in size.split("x"))
    runs = read_trace(trace)
    fig = plt.figure(figsize=(width / DPI, height_px / DPI), dpi=DPI)
    ax = fig.add_axes([0.42, 0.05, 0.4, 0.9], projection="3d")
    x0, x1, y0, y1 = BOX
    X, Y = np.meshgrid(np.linspace(x0, x1, mesh), np.linspace(y0, y1, mesh))
    F = rosenbrock(X, Y)
    lo, hi = F.min(), F.max()
    H = height(F, lo, hi)
    ax.plot_surface(X, Y, H, rstride=1, cstride=1, facecolors=plt.cm.viridis(H), linewidth=0, antialiased=False,
                    shade=True)
    lines = []
    for r in runs.values():
        h = height(np.clip(r["loss"], lo, hi), lo, hi) + 0.01
        (line,) = ax.plot(r["x"][:start], r["y"][:start], h[:start], lw=2.6)
        lines.append((line, r, h))
    ax.view_init(elev=ELEVATION, azim=AZIMUTH)
    fig.canvas.draw()

    def timed(turn):
        times = []
        for k in range(1, frames + 1):
            t0 = time.perf_counter()
            n = start + k
            for line, r, h in lines:
                line.set_data_3d(r["x"][:n], r["y"][:n], h[:n])
            if turn:
                ax.view_init(elev=ELEVATION, azim=AZIMUTH + 4 * k)
            fig.canvas.draw()
            times.append((time.perf_counter() - t0) * 1e3)
        times.sort()
        return times[len(times) // 2]

    print("surface mesh %d" % mesh)
    print("surface median %.3f ms" % timed(False))
    print("orbit median %.3f ms" % timed(True))


if __name__ == "__main__":
    main()
