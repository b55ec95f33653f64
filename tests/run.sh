#!/bin/sh
# Runs every test suite against the build in $1 (default: build) and sums their closing
# `N passed, N failed` lines into one.
build=${1:-build}
passed=0
failed=0
status=0
# The unit runner (which also drives the program), then the shell suites in tests/test_NAME.sh.
for suite in unit install; do
  if [ -f "tests/test_$suite.sh" ]; then
    out=$(sh "tests/test_$suite.sh" "$build") || status=1
  else
    out=$("$build/$suite" "$build/optiscope") || status=1
  fi
  echo "$out"
  line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
  if [ -z "$line" ]; then
    echo "suite '$suite' printed no result line"
    failed=$((failed + 1))
    continue
  fi
  passed=$((passed + ${line%% passed*}))
  rest=${line#*, }
  failed=$((failed + ${rest%% failed*}))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
