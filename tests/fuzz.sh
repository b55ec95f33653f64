#!/bin/sh
# Builds the libFuzzer targets (tests/fuzz_*.c) with clang and runs each for a bounded time
# from its seed corpus in tests/fuzz/TARGET. Crashes land in build/fuzz/; copy such a file
# into tests/fuzz/TARGET (renamed: .gitignore keeps crash-*, leak-*, timeout-* and oom-* out
# of git wherever they land) to keep it as a regression case: the corpus is replayed first.
# Usage: tests/fuzz.sh [SECONDS-PER-TARGET]
seconds=${1:-${FUZZ_SECONDS:-20}}
out=build/fuzz
mkdir -p "$out"
flags="-std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
passed=0
failed=0
for src in tests/fuzz_*.c; do
  target=$(basename "$src" .c | sed 's/^fuzz_//')
  bin="$out/$target"
  if ! clang $flags src/core/*.c src/session/*.c tests/json.c "$src" -lm -lpthread -o "$bin"; then
    echo "fuzz $target: build failed"
    failed=$((failed + 1))
    continue
  fi
  corpus="$out/corpus-$target"
  mkdir -p "$corpus"
  # Replay every kept case, then explore for a bounded time.
  if "$bin" -runs=0 "tests/fuzz/$target" >"$out/$target-replay.log" 2>&1 &&
     "$bin" -max_total_time="$seconds" -max_len=4096 -timeout=5 -rss_limit_mb=1024 -seed=1 \
       -artifact_prefix="$out/$target-" "$corpus" "tests/fuzz/$target" >"$out/$target.log" 2>&1; then
    echo "fuzz $target: ok ($(grep -o 'Done [0-9]* runs' "$out/$target.log" | tail -n 1))"
    passed=$((passed + 1))
  else
    echo "fuzz $target: FAILED, see $out/$target.log and $out/$target-replay.log"
    tail -n 30 "$out/$target.log"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
