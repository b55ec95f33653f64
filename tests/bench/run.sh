#!/bin/sh
# `make bench`: optiscope's frame loop on tests/bench/bench.scene at 1920x1080 and 3840x2160,
# and, when python3 has matplotlib, the same scene drawn by mpl_bench.py, side by side as a
# Markdown table. Usage: sh tests/bench/run.sh [BUILD_DIR]; BENCH_FRAMES sets the frames.
set -e
build=${1:-build}
bin=$build/optiscope
dir=$(dirname "$0")
scene=$dir/bench.scene
steps=5000
frames=${BENCH_FRAMES:-300}
mpl_frames_1080=30
mpl_frames_4k=10
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "optiscope: $frames frames at each size after $steps steps of $scene" >&2
for size in 1920x1080 3840x2160; do
  "$bin" --headless --scene "$scene" --size "$size" --steps "$steps" --bench "$frames" >"$tmp/o-$size"
done

py=""
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import matplotlib, numpy' 2>/dev/null; then
    py=$p
    break
  fi
done
if [ -n "$py" ]; then
  echo "matplotlib: the same scene with $py" >&2
  "$bin" --headless --scene "$scene" --steps $((steps + mpl_frames_1080)) --trace "$tmp/trace.csv"
  "$py" "$dir/mpl_bench.py" "$tmp/trace.csv" 1920x1080 $mpl_frames_1080 $steps >"$tmp/m-1920x1080"
  "$py" "$dir/mpl_bench.py" "$tmp/trace.csv" 3840x2160 $mpl_frames_4k $steps >"$tmp/m-3840x2160"
else
  echo "matplotlib: not installed (python3-matplotlib), its columns stay empty" >&2
  : >"$tmp/m-1920x1080"
  : >"$tmp/m-3840x2160"
fi

# Rosenbrock typed as a formula against the built-in, same scene, same view, same run.
sed 's|^function rosenbrock$|function expr:(1-x)^2 + 100*(y-x^2)^2, view=-2/2/-1/3|' "$scene" >"$tmp/expr.scene"
"$bin" --headless --scene "$tmp/expr.scene" --size 1920x1080 --steps "$steps" --bench "$frames" >"$tmp/e-1920x1080"

cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "$(nproc 2>/dev/null || echo '?') cores, ${cpu:-unknown CPU}"
echo
awk -f "$dir/table.awk" "$tmp/o-1920x1080" "$tmp/o-3840x2160" "$tmp/m-1920x1080" "$tmp/m-3840x2160"
echo
awk '$1 == "pan" && $2 == "median" { v[FILENAME] = $3 }
     END { b = v[ARGV[1]]; e = v[ARGV[2]]
           printf "Rosenbrock typed as expr:... against the built-in, 1920x1080, view changing every frame: " \
                  "%.2f ms against %.2f ms (%.2fx, at most 1.5x wanted)\n", e, b, e / b }' \
  "$tmp/o-1920x1080" "$tmp/e-1920x1080"
