#!/bin/sh
# Turns an install tree for /usr (make deb puts it in ROOT, .../debian/optiscope) into a Debian package: strips
# the binary, compresses the manual page, adds the copyright and changelog Debian expects,
# computes Depends with dpkg-shlibdeps and builds OUT with dpkg-deb.
# Usage: mkdeb.sh ROOT VERSION OUT
set -eu
root=$1
version=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$root" && pwd)

# The changelog's newest entry must be the version being packaged.
head -n 1 "$here/changelog" | grep -q "^optiscope ($version) " || {
  echo "mkdeb.sh: assets/debian/changelog has no entry for $version on its first line" >&2
  exit 1
}
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$top/usr/bin/optiscope"
gzip -9nf "$top/usr/share/man/man1/optiscope.1"
doc=$top/usr/share/doc/optiscope
install -d "$doc"
install -m 644 "$here/copyright" "$doc/copyright"
gzip -9n < "$here/changelog" > "$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"

# dpkg-shlibdeps wants a source tree: ROOT is its debian/optiscope, and debian/control
# names the package.
src=$(cd "$top/../.." && pwd)
case $top in */debian/optiscope) ;; *) echo "mkdeb.sh: ROOT must end in debian/optiscope" >&2; exit 1 ;; esac
mkdir -p "$top/DEBIAN"
printf 'Source: optiscope\n\nPackage: optiscope\nArchitecture: any\n' > "$src/debian/control"
depends=$(cd "$src" && dpkg-shlibdeps -O debian/optiscope/usr/bin/optiscope | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "mkdeb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# Text is drawn in fontconfig's sans-serif; DejaVu is the one the pictures are checked with.
depends="$depends, fonts-dejavu-core"

size=$(du -sk --apparent-size "$top/usr" | cut -f 1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$(dpkg --print-architecture)/" -e "s/@SIZE@/$size/" \
  -e "s/@DEPENDS@/$depends/" "$here/control.in" > "$top/DEBIAN/control"
(cd "$top" && find usr -type f | LC_ALL=C sort | xargs md5sum) > "$top/DEBIAN/md5sums"
chmod 644 "$top/DEBIAN/control" "$top/DEBIAN/md5sums"
find "$top" -type d -exec chmod 755 {} +
dpkg-deb --root-owner-group --build "$top" "$out"
