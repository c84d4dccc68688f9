#!/usr/bin/env bash
# Installs the Debian packages the tests need:
#   chromium            -> /usr/bin/chromium (Playwright drives it via executable_path;
#                          Playwright's own browser download cannot work here)
#   fonts-wqy-microhei  -> a CJK font, so Chinese text renders instead of tofu boxes
#   postgresql          -> /usr/lib/postgresql/<ver>/bin/{initdb,pg_ctl}: the store tests start a
#                          throwaway cluster of their own on a loopback port (tests/store_support.py);
#                          the package's own cluster service is not needed and not started
# Does nothing when all are already present, so repeated `make test` runs are quick.
# Runs `apt-get update` only when something has to be installed.
# Uses sudo only when not root. Exits non-zero with a clear message on failure.
set -euo pipefail

CHROMIUM_BIN=/usr/bin/chromium
FONT_PKG=fonts-wqy-microhei
FONT_FILE=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc

pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
if [[ ! -x "$CHROMIUM_BIN" ]]; then
    missing+=(chromium)
fi
if [[ ! -e "$FONT_FILE" ]] && ! pkg_installed "$FONT_PKG"; then
    missing+=("$FONT_PKG")
fi
postgres_bin() {
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}
if ! postgres_bin; then
    missing+=(postgresql)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install_system_deps: chromium, $FONT_PKG and postgresql already present."
    exit 0
fi

fail() {
    echo "install_system_deps: ERROR: $*" >&2
    echo "install_system_deps: install them by hand (as root):" >&2
    echo "    apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
}

if ! command -v apt-get >/dev/null 2>&1; then
    fail "apt-get not found; this script supports Debian/Ubuntu only (missing: ${missing[*]})."
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        # -n: never prompt (CI has no stdin); fail instead.
        SUDO=(sudo -n)
    else
        fail "not root and sudo is not available (missing: ${missing[*]})."
    fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "install_system_deps: installing ${missing[*]} ..."
start=$SECONDS
"${SUDO[@]}" apt-get update -qq \
    || fail "apt-get update failed (missing: ${missing[*]})."
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null \
    || fail "apt-get install ${missing[*]} failed."

[[ -x "$CHROMIUM_BIN" ]] || fail "$CHROMIUM_BIN still missing after install."
postgres_bin || fail "/usr/lib/postgresql/<version>/bin/initdb still missing after install."
echo "install_system_deps: done in $((SECONDS - start)) s."
