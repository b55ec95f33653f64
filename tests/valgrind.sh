#!/bin/sh
# valgrind memcheck on headless runs: a screenshot of the default scene, a trace with a
# diverging run, --list, a scene by name, a loss over data with minibatches and a typed
# schedule, and every shipped scene. Any error or leak fails. They
# run optiscope-novideo, built without FFmpeg, which valgrind cannot run here (see
# tests/stub/encode_none.c).
build=${1:-build}
out=$build/valgrind
mkdir -p "$out"
# The program must not read the developer's preferences: an empty folder of its own.
XDG_CONFIG_HOME=$(mktemp -d)
export XDG_CONFIG_HOME
trap 'rmdir "$XDG_CONFIG_HOME"' EXIT
passed=0
failed=0
check() {
  name=$1
  shift
  if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
       --show-leak-kinds=definite,indirect "$build/optiscope-novideo" "$@" >"$out/$name.log" 2>&1; then
    passed=$((passed + 1))
  else
    echo "valgrind $name: FAILED"
    tail -n 40 "$out/$name.log"
    failed=$((failed + 1))
  fi
}
check screenshot --headless --steps 200 --size 800x500 --panels contours,field,plots --screenshot "$out/default.png"
check trace --headless --steps 300 --optimizer sgd:lr=1 --optimizer adam:lr=0.05 --schedule plateau --trace "$out/trace.csv"
check list --list
check by-name --headless --scene momentum_ravine --steps 20 --trace "$out/by-name.csv"
check data --headless --function logreg:data=classes --optimizer sgd:lr=0.3,batch_size=4 --optimizer adam:lr=0.1 \
  --schedule 'expr:if(loss<prev_loss, lr*1.05, lr*0.5)' --steps 60 --size 800x500 --screenshot "$out/data.png" \
  --dump-state "$out/data.json"
for scene in assets/scenes/*.scene; do
  name=$(basename "$scene" .scene)
  check "$name" --headless --scene "$scene" --steps 150 --size 800x500 --screenshot "$out/$name.png" \
    --dump-state "$out/$name.json"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
