#!/bin/sh
# `make bench`: optiscope's frame loop on tests/bench/bench.scene at 1920x1080 and 3840x2160,
# and, when python3 has matplotlib, the same scene drawn by mpl_bench.py (its 3D view by
# mpl_surface.py, plot_surface and plot, at 1920x1080), side by side as a
# Markdown table; then the scene recorded as H.264 MP4 by both, as a second table; then a
# typed formula's pace against the built-in function, as a third; then the simulation's pace
# against commit 2522ae3 (before the timeline) built beside it, when git has that commit.
# Usage: sh tests/bench/run.sh [BUILD_DIR]; BENCH_FRAMES sets the frames, BENCH_PARTS
# which parts run ("frames record pace then", the default, or any of them alone).
set -e
build=${1:-build}
bin=$build/optiscope
dir=$(dirname "$0")
scene=$dir/bench.scene
steps=5000
frames=${BENCH_FRAMES:-300}
mpl_frames_1080=30
mpl_frames_4k=10
mpl_frames_3d=5
parts=${BENCH_PARTS:-frames record pace then}
then_commit=2522ae3
rec_frames=150
rec_frames_1080=300
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

py=""
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import matplotlib, numpy' 2>/dev/null; then
    py=$p
    break
  fi
done

cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "$(nproc 2>/dev/null || echo '?') cores, ${cpu:-unknown CPU}"
echo

frame_times() {
  echo "optiscope: $frames frames at each size after $steps steps of $scene" >&2
  for size in 1920x1080 3840x2160; do
    "$bin" --headless --scene "$scene" --size "$size" --steps "$steps" --bench "$frames" >"$tmp/o-$size"
  done

  if [ -n "$py" ]; then
    echo "matplotlib: the same scene with $py" >&2
    "$bin" --headless --scene "$scene" --steps $((steps + mpl_frames_1080)) --trace "$tmp/trace.csv"
    "$py" "$dir/mpl_bench.py" "$tmp/trace.csv" 1920x1080 $mpl_frames_1080 $steps >"$tmp/m-1920x1080"
    "$py" "$dir/mpl_bench.py" "$tmp/trace.csv" 3840x2160 $mpl_frames_4k $steps >"$tmp/m-3840x2160"
    # The 3D view: plot_surface at the mesh optiscope used, and the trajectories on it.
    mesh=$(sed -n 's/^surface mesh \([0-9]*\)$/\1/p' "$tmp/o-1920x1080")
    echo "matplotlib: plot_surface at ${mesh:-?} samples a side, $mpl_frames_3d frames" >&2
    "$py" "$dir/mpl_surface.py" "$tmp/trace.csv" 1920x1080 "${mesh:-120}" $mpl_frames_3d $steps |
      grep -v '^surface mesh' >>"$tmp/m-1920x1080"
  else
    echo "matplotlib: not installed (python3-matplotlib), its columns stay empty" >&2
    : >"$tmp/m-1920x1080"
    : >"$tmp/m-3840x2160"
  fi
  awk -f "$dir/table.awk" "$tmp/o-1920x1080" "$tmp/o-3840x2160" "$tmp/m-1920x1080" "$tmp/m-3840x2160"

  # Rosenbrock typed as a formula against the built-in, same scene, same view, same run.
  sed 's|^function rosenbrock$|function expr:(1-x)^2 + 100*(y-x^2)^2, view=-2/2/-1/3|' "$scene" >"$tmp/expr.scene"
  "$bin" --headless --scene "$tmp/expr.scene" --size 1920x1080 --steps "$steps" --bench "$frames" >"$tmp/e-1920x1080"
  echo
  awk '$1 == "pan" && $2 == "median" { v[FILENAME] = $3 }
       END { b = v[ARGV[1]]; e = v[ARGV[2]]
             printf "Rosenbrock typed as expr:... against the built-in, 1920x1080, view changing every frame: " \
                    "%.2f ms against %.2f ms (%.2fx, at most 1.5x wanted)\n", e, b, e / b }' \
    "$tmp/o-1920x1080" "$tmp/e-1920x1080"
}

# Runs optiscope with the arguments given and prints its wall-clock and CPU seconds (user and
# system, all threads), the CPU time being what the run costs whatever else the machine runs.
timed() {
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$tmp/cpu" "$bin" "$@"
  awk -v a="$t0" -v b="$(date +%s.%N)" '{ printf "%.2f %.2f", b - a, $1 + $2 }' "$tmp/cpu"
}

# The scene one step a frame as H.264 MP4: 150 frames at 1280x720 by optiscope and by
# matplotlib (FuncAnimation, FFMpegWriter), then 300 frames (10 s at 30 fps) at 1920x1080.
recording() {
  echo "recording: $rec_frames frames at 1280x720, $rec_frames_1080 at 1920x1080" >&2
  o720=$(timed --headless --scene "$scene" --size 1280x720 --steps $rec_frames --steps-per-frame 1 \
    --record "$tmp/o-720.mp4")
  o1080=$(timed --headless --scene "$scene" --size 1920x1080 --steps $rec_frames_1080 --steps-per-frame 1 \
    --record "$tmp/o-1080.mp4")
  m720=""
  if [ -n "$py" ]; then
    "$bin" --headless --scene "$scene" --steps $((rec_frames + 1)) --trace "$tmp/rec-trace.csv"
    m720=$("$py" "$dir/mpl_bench.py" --record "$tmp/rec-trace.csv" 1280x720 $rec_frames "$tmp/m-720.mp4" |
      sed -n 's/^record_s \([0-9.]*\) s$/\1/p')
  fi
  echo "$o720 $o1080 $m720" | awk -v n="$rec_frames" -v n1080="$rec_frames_1080" '{
    print "| the benchmark scene as H.264 MP4 | optiscope | matplotlib (FuncAnimation, FFMpegWriter) | faster |"
    print "|---|---|---|---|"
    printf "| %d frames at 1280×720 | %.2f s (CPU %.2f s) | %s | %s |\n", n, $1, $2,
      NF < 5 ? "–" : sprintf("%.1f s", $5), NF < 5 ? "–" : sprintf("%.0f×", $5 / $1)
    printf "| %d frames (%d s at 30 fps) at 1920×1080 | %.2f s (CPU %.2f s): %.1f× real time | – | |\n", n1080,
      n1080 / 30, $3, $4, n1080 / 30 / $3
  }'
}

# Himmelblau typed as a formula against the built-in: the basin map (a trajectory from every
# cell, on every core) and a 200 000-step trace, each the best of three runs, wall-clock and
# CPU seconds side by side with the formula's ratio to the built-in.
pace_one() { # what, then optiscope's arguments after --function F
  what=$1
  shift
  for f in himmelblau "expr:(x^2+y-11)^2+(x+y^2-7)^2"; do
    for i in 1 2 3; do timed --headless --function "$f" "$@" && echo; done |
      sort -n | head -n 1
  done | awk -v what="$what" 'NR == 1 { bw = $1; bc = $2 } NR == 2 {
    printf "| %s | %.2f s (CPU %.2f s) | %.2f s (CPU %.2f s) | %.2f× (CPU %.2f×) |\n", what, bw, bc, $1, $2,
      $1 / bw, $2 / bc }'
}

pace() {
  echo "pace: Himmelblau typed as a formula against the built-in, best of 3" >&2
  echo "| Himmelblau, sgd:lr=0.005 | built-in | expr:(x^2+y-11)^2+(x+y^2-7)^2 | formula / built-in |"
  echo "|---|---|---|---|"
  pace_one "basin map (1.5× wanted)" --optimizer sgd:lr=0.005 --panels basins --steps 1 --dump-state /dev/null
  pace_one "200 000 steps traced (2× wanted)" --optimizer sgd:lr=0.005 --steps 200000 --trace /dev/null
}

# The simulation alone (steps_per_second: 8 runs with trails, history and, here, the
# timeline) against commit 2522ae3 built from git beside this build, each on its own bench
# scene, taking turns three times, the best of each: the machine's load touches both alike.
then_pace() {
  top=$(cd "$dir/../.." && pwd)
  if ! command -v git >/dev/null 2>&1 || ! git -C "$top" cat-file -e "$then_commit^{commit}" 2>/dev/null; then
    echo "simulation pace against commit $then_commit: skipped (no git, or no such commit here)"
    return 0
  fi
  echo "then: building commit $then_commit beside this build" >&2
  mkdir -p "$tmp/then"
  git -C "$top" archive "$then_commit" | tar -x -C "$tmp/then"
  if ! make -s -C "$tmp/then" build/optiscope >"$tmp/then.log" 2>&1; then
    echo "simulation pace against commit $then_commit: skipped (it did not build: $tmp/then.log)"
    return 0
  fi
  for i in 1 2 3; do
    "$tmp/then/build/optiscope" --headless --scene "$tmp/then/tests/bench/bench.scene" --size 1920x1080 \
      --steps "$steps" --bench "$frames" | sed -n 's/^steps_per_second /then /p'
    "$bin" --headless --scene "$scene" --size 1920x1080 --steps "$steps" --bench "$frames" |
      sed -n 's/^steps_per_second /now /p'
  done | awk -v c="$then_commit" '$2 > best[$1] { best[$1] = $2 } END {
    printf "Simulation (8 runs, trails, history, timeline), best of 3 taking turns: %.2f M steps/s against " \
           "%.2f M for commit %s built beside it (%.2fx, at least 0.9x wanted)\n",
           best["now"] / 1e6, best["then"] / 1e6, c, best["now"] / best["then"] }'
}

case " $parts " in *" frames "*) frame_times ;; esac
case " $parts " in *" record "*) echo; recording ;; esac
case " $parts " in *" pace "*) echo; pace ;; esac
case " $parts " in *" then "*) echo; then_pace ;; esac
