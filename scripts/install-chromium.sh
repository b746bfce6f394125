#!/usr/bin/env bash
# Installs Debian's chromium for the browser end-to-end tests (test/browser.e2e-spec.ts).
# playwright-core drives it through executablePath and downloads no browser of its own.
# Idempotent: skips the install when /usr/bin/chromium is already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  fi
fi

apt_install() {
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    echo "install-chromium: not root and no sudo; cannot apt-get install $*" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then
    $SUDO apt-get update
    APT_UPDATED=1
  fi
  $SUDO apt-get install -y "$@"
}

if [ -x "$CHROMIUM" ]; then
  echo "chromium already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
else
  apt_install chromium
  if [ ! -x "$CHROMIUM" ]; then
    echo "install-chromium: $CHROMIUM missing after install" >&2
    exit 1
  fi
  echo "chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
fi

# The screenshots must show Vietnamese diacritics: make sure one font covers Vietnamese.
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=vi 2>/dev/null | head -n 1)" ]; then
  apt_install fonts-dejavu-core
fi

# The digest's PDF is checked with poppler's pdftotext and pictured with pdftoppm.
if command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
  echo "poppler-utils already installed"
else
  apt_install --no-install-recommends poppler-utils
fi
