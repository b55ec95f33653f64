#!/bin/sh
# make install into a temporary DESTDIR, as a user would meet it: every file in its place, a
# valid desktop entry, a manual page man renders with every option and key, the installed
# program run from another folder; make uninstall removes it all. With the default build,
# make deb too: its dependencies, lintian, and (in CI only, where CI=true) dpkg -i and -r.
# Usage: tests/test_install.sh [BUILD]; ends with `N passed, N failed`.
build=${1:-build}
bin=$build/optiscope
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config"

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL tests/test_install.sh: $*" >&2; }
check() { # check MESSAGE COMMAND...
  msg=$1
  shift
  if "$@" >/dev/null 2>&1; then ok; else fail "$msg"; fi
}

# The width and height of a PNG, from its IHDR chunk.
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", $3 * 256 + $4, $7 * 256 + $8 }'; }

# Spaces in DESTDIR and PREFIX, beside files named as their first words: make install and
# make uninstall touch exactly their own files, and nothing in the checkout.
root="$tmp/my root"
prefix="$root/opt/my prefix"
echo mine >"$tmp/my"
mkdir -p "$root/opt" && echo mine >"$root/opt/my"
checkout_before=$(ls -A)
if make --no-print-directory BUILD="$build" install DESTDIR="$root" PREFIX="/opt/my prefix" >"$tmp/install.log" 2>&1
then ok; else
  fail "make install: $(tail -n 5 "$tmp/install.log")"
fi

check "installed program" test -x "$prefix/bin/optiscope"
for scene in assets/scenes/*.scene assets/scenes/*.deck; do
  check "installed $scene" cmp "$scene" "$prefix/share/optiscope/scenes/${scene##*/}"
done
for data in assets/data/*.csv; do
  check "installed $data" cmp "$data" "$prefix/share/optiscope/data/${data##*/}"
done
check "installed desktop entry" test -f "$prefix/share/applications/optiscope.desktop"
check "desktop-file-validate" desktop-file-validate "$prefix/share/applications/optiscope.desktop"
for size in 48 128 256; do
  icon=$prefix/share/icons/hicolor/${size}x$size/apps/optiscope.png
  [ "$(png_size "$icon" 2>/dev/null)" = "${size}x$size" ] && ok || fail "icon $icon is not ${size}x$size"
done
check "scalable icon" grep -q '<svg' "$prefix/share/icons/hicolor/scalable/apps/optiscope.svg"

# The manual page as man shows it, wide enough that no line wraps.
page=$prefix/share/man/man1/optiscope.1
MANWIDTH=400 LC_ALL=C.UTF-8 man -l "$page" 2>"$tmp/man.err" | col -b >"$tmp/man.txt"
check "man -l renders the page (no warnings)" test -s "$tmp/man.txt" -a ! -s "$tmp/man.err"
for option in $("$bin" --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p'); do
  grep -qF -- "$option" "$tmp/man.txt" && ok || fail "the manual page lacks $option"
  grep -qF -- "| \`$option" README.md && ok || fail "README's option table lacks $option"
done
"$bin" --keys | sed -n '3,$p' | tr -d '`' >"$tmp/keys"
while IFS='|' read -r _ keys what _; do
  keys=$(echo "$keys" | sed 's/^ *//; s/ *$//')
  what=$(echo "$what" | sed 's/^ *//; s/ *$//')
  grep -qF -- "$keys" "$tmp/man.txt" && grep -qF -- "$what" "$tmp/man.txt" && ok ||
    fail "the manual page lacks the key '$keys' ($what)"
done <"$tmp/keys"

# The installed program from another folder finds its lessons and writes a picture there.
mkdir "$tmp/elsewhere"
(cd "$tmp/elsewhere" && "$prefix/bin/optiscope" --scene momentum_ravine --headless --steps 50 --screenshot shot.png) \
  >"$tmp/run.log" 2>&1 && ok || fail "installed --scene momentum_ravine: $(cat "$tmp/run.log")"
check "the installed program's screenshot" test -s "$tmp/elsewhere/shot.png"
# The lecture decks are lessons like the others: found by name, named by --list; the
# regression deck's scenes find their data sets installed beside them.
for deck in lr_lecture regression_lecture; do
  (cd "$tmp/elsewhere" && "$prefix/bin/optiscope" --scene "$deck" --headless --steps 5 --trace -) \
    >"$tmp/deck.log" 2>&1 && ok || fail "installed --scene $deck: $(tail -n 3 "$tmp/deck.log")"
done
# So are the shipped data sets, by name.
(cd "$tmp/elsewhere" && "$prefix/bin/optiscope" --function linreg:data=line --optimizer sgd:batch_size=4 --headless \
  --steps 5 --trace -) >"$tmp/data.log" 2>&1 && ok || fail "installed linreg:data=line: $(tail -n 3 "$tmp/data.log")"
(cd "$tmp/elsewhere" && "$prefix/bin/optiscope" --list) 2>&1 | grep -q '^  lr_lecture .*15 scenes' && ok ||
  fail "installed --list does not name the deck lr_lecture with its 15 scenes"
(cd "$tmp/elsewhere" && "$prefix/bin/optiscope" --list) 2>&1 | grep -q '^  regression_lecture .*6 scenes' && ok ||
  fail "installed --list does not name the deck regression_lecture with its 6 scenes"
version=$(sed -n 's/^#define OPTISCOPE_VERSION "\(.*\)"/\1/p' src/platform/version.h)
[ "$(cd "$tmp/elsewhere" && "$prefix/bin/optiscope" --version | head -n 1)" = "optiscope $version" ] && ok ||
  fail "installed --version does not start with 'optiscope $version'"

make --no-print-directory BUILD="$build" uninstall DESTDIR="$root" PREFIX="/opt/my prefix" >"$tmp/uninstall.log" 2>&1 &&
  ok || fail "make uninstall: $(tail -n 5 "$tmp/uninstall.log")"
left=$(find "$root" -type f ! -path "$root/opt/my")
[ -z "$left" ] && ok || fail "make uninstall left: $left"
check "make uninstall leaves the lessons' folder gone" test ! -e "$prefix/share/optiscope"
for decoy in "$tmp/my" "$root/opt/my"; do
  [ "$(cat "$decoy" 2>/dev/null)" = mine ] && ok || fail "make install or uninstall touched $decoy"
done
[ "$(ls -A)" = "$checkout_before" ] && ok || fail "make install or uninstall left files in the checkout: $(ls -A)"

# The package is built from the default build only (a sanitized binary is no package).
if [ "$build" = build ]; then
  if make --no-print-directory deb >"$tmp/deb.log" 2>&1; then ok; else fail "make deb: $(tail -n 5 "$tmp/deb.log")"; fi
  deb=$(ls build/optiscope_"$version"_*.deb 2>/dev/null | head -n 1)
  dpkg-deb --info "$deb" >"$tmp/info" 2>&1
  for lib in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libpng16-16 libfontconfig1; do
    check "dpkg-deb --info lists $lib among the dependencies" grep -q "^ Depends: .*$lib" "$tmp/info"
  done
  check "the package holds the program" sh -c "dpkg-deb -c '$deb' | grep -q ' ./usr/bin/optiscope$'"
  check "the package holds the lecture deck" sh -c "dpkg-deb -c '$deb' | grep -q ' ./usr/share/optiscope/scenes/lr_lecture.deck$'"
  check "the package holds the regression deck" sh -c "dpkg-deb -c '$deb' | grep -q ' ./usr/share/optiscope/scenes/regression_lecture.deck$'"
  check "the package holds the data sets" sh -c "dpkg-deb -c '$deb' | grep -q ' ./usr/share/optiscope/data/classes.csv$'"
  check "the package holds its copyright" sh -c "dpkg-deb -c '$deb' | grep -q ' ./usr/share/doc/optiscope/copyright$'"
  check "lintian finds no errors" lintian --fail-on error "$deb"
  # Unpacked anywhere, the packaged program finds its lessons beside itself.
  dpkg-deb -x "$deb" "$tmp/unpacked" 2>/dev/null
  check "the packaged program runs unpacked" sh -c \
    "cd '$tmp/elsewhere' && '$tmp/unpacked/usr/bin/optiscope' --scene saddle_escape --headless --steps 5 --trace - >/dev/null"
  check "the packaged program finds its data sets" sh -c \
    "cd '$tmp/elsewhere' && '$tmp/unpacked/usr/bin/optiscope' --function logreg:data=classes --headless --steps 5 --trace - >/dev/null"
  if [ "${CI:-}" = true ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    check "dpkg -i" $sudo dpkg -i "$deb"
    check "the packaged program runs from /usr/bin" sh -c 'cd / && /usr/bin/optiscope --scene momentum_ravine --headless --steps 5 --trace - >/dev/null'
    check "dpkg -r" $sudo dpkg -r optiscope
    check "dpkg -r removes the program" test ! -e /usr/bin/optiscope
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
