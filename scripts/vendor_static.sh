#!/usr/bin/env bash
# Refresh the vendored front-end assets under static/vendor/ from the npm registry.
#
# Police intranets have no internet, so every third-party file is served from static/.
# The versions below are pinned exactly; to upgrade, find the newest release of a line with
#   npm view <package>@<range> version
# change the variable, run this script, check the pages, and commit static/vendor/.
#
# Needs: npm (for `npm pack`), node, tar. Works from any directory.
set -euo pipefail

BOOTSTRAP_VERSION="5.3.9"
BOOTSTRAP_ICONS_VERSION="1.13.2"
HTMX_VERSION="2.0.11"
ECHARTS_VERSION="6.1.0"

cd "$(dirname "$0")/.."
VENDOR="static/vendor"

for tool in npm node tar; do
    command -v "$tool" >/dev/null || { echo "vendor_static: $tool is required" >&2; exit 1; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# fetch <package> <version>: unpack the registry tarball into $tmp/<package>/package/.
fetch() {
    local pkg="$1" version="$2" tarball
    echo "fetching ${pkg}@${version}"
    mkdir -p "$tmp/$pkg"
    tarball="$(cd "$tmp/$pkg" && npm pack --silent "${pkg}@${version}" | tail -n 1)"
    tar -xzf "$tmp/$pkg/$tarball" -C "$tmp/$pkg"
    local got
    got="$(node -p "require(process.argv[1]).version" "$tmp/$pkg/package/package.json")"
    if [ "$got" != "$version" ]; then
        echo "vendor_static: asked for ${pkg}@${version}, got ${got}" >&2
        exit 1
    fi
}

# license <package>: the license field of the package's package.json.
license() {
    node -p "require(process.argv[1]).license" "$tmp/$1/package/package.json"
}

# strip_source_map <file>: drop the trailing sourceMappingURL comment. The .map files are
# not vendored, and a manifest static-files storage fails on a reference to a missing file.
strip_source_map() {
    sed -i -E -e '\#^/\*\# sourceMappingURL=.*\*/$#d' -e '\#^//\# sourceMappingURL=#d' "$1"
    if grep -q 'sourceMappingURL=' "$1"; then
        echo "vendor_static: $1 still refers to a source map" >&2
        exit 1
    fi
}

fetch bootstrap "$BOOTSTRAP_VERSION"
fetch bootstrap-icons "$BOOTSTRAP_ICONS_VERSION"
fetch htmx.org "$HTMX_VERSION"
fetch echarts "$ECHARTS_VERSION"

rm -rf "$VENDOR/bootstrap" "$VENDOR/bootstrap-icons" "$VENDOR/htmx" "$VENDOR/echarts"
mkdir -p "$VENDOR/bootstrap" "$VENDOR/bootstrap-icons/fonts" "$VENDOR/htmx" "$VENDOR/echarts"

# Bootstrap: the compiled CSS and the JS bundle (with Popper).
src="$tmp/bootstrap/package"
cp "$src/dist/css/bootstrap.min.css" "$VENDOR/bootstrap/"
cp "$src/dist/js/bootstrap.bundle.min.js" "$VENDOR/bootstrap/"
cp "$src/LICENSE" "$VENDOR/bootstrap/LICENSE"

# Bootstrap Icons: the CSS expects its fonts in fonts/ beside it.
src="$tmp/bootstrap-icons/package"
cp "$src/font/bootstrap-icons.min.css" "$VENDOR/bootstrap-icons/"
cp "$src"/font/fonts/*.woff2 "$src"/font/fonts/*.woff "$VENDOR/bootstrap-icons/fonts/"
cp "$src/LICENSE" "$VENDOR/bootstrap-icons/LICENSE"

# htmx
src="$tmp/htmx.org/package"
cp "$src/dist/htmx.min.js" "$VENDOR/htmx/"
cp "$src/LICENSE" "$VENDOR/htmx/LICENSE"

# Apache ECharts (Apache-2.0: its LICENSE and NOTICE travel with it).
src="$tmp/echarts/package"
cp "$src/dist/echarts.min.js" "$VENDOR/echarts/"
cp "$src/LICENSE" "$VENDOR/echarts/LICENSE"
cp "$src/NOTICE" "$VENDOR/echarts/NOTICE"

for f in "$VENDOR/bootstrap/bootstrap.min.css" "$VENDOR/bootstrap/bootstrap.bundle.min.js" \
         "$VENDOR/bootstrap-icons/bootstrap-icons.min.css" "$VENDOR/htmx/htmx.min.js" \
         "$VENDOR/echarts/echarts.min.js"; do
    strip_source_map "$f"
done

{
    echo "# Vendored front-end packages, written by scripts/vendor_static.sh; do not edit."
    echo "# package@version  license"
    echo "bootstrap@${BOOTSTRAP_VERSION}  $(license bootstrap)"
    echo "bootstrap-icons@${BOOTSTRAP_ICONS_VERSION}  $(license bootstrap-icons)"
    echo "htmx.org@${HTMX_VERSION}  $(license htmx.org)"
    echo "echarts@${ECHARTS_VERSION}  $(license echarts)"
} > "$VENDOR/VERSIONS.txt"

# Every vendored file must be there and non-empty.
status=0
while IFS= read -r -d '' f; do
    if [ ! -s "$f" ]; then
        echo "vendor_static: $f is empty" >&2
        status=1
    fi
done < <(find "$VENDOR/bootstrap" "$VENDOR/bootstrap-icons" "$VENDOR/htmx" "$VENDOR/echarts" -type f -print0)
for f in "$VENDOR/bootstrap-icons/fonts/bootstrap-icons.woff2" "$VENDOR/bootstrap-icons/fonts/bootstrap-icons.woff"; do
    [ -s "$f" ] || { echo "vendor_static: $f is missing" >&2; status=1; }
done
[ "$status" -eq 0 ] || exit 1

echo "vendored into $VENDOR/:"
cat "$VENDOR/VERSIONS.txt"
