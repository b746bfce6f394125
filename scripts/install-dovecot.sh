#!/usr/bin/env bash
# Installs Debian's dovecot-imapd for the mailbox end-to-end tests (test/utils/dovecot.ts).
# The tests run dovecot from a standalone config in a temp folder (dovecot -F -c FILE): the
# packaged service is neither configured nor started here, and systemd is not needed.
# Idempotent: skips the install when the dovecot binary and the imap service are already there.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  fi
fi

apt_install() {
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    echo "install-dovecot: not root and no sudo; cannot apt-get install $*" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then
    $SUDO apt-get update
    APT_UPDATED=1
  fi
  # policy-rc.d-less containers: the package's postinst may fail to start the service; the
  # tests never use that service, so a start failure is not an install failure.
  $SUDO apt-get install -y --no-install-recommends "$@"
}

imap_service_present() {
  # dovecot-core alone has no imap binary; dovecot-imapd adds it.
  [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/imap-login ]
}

if command -v dovecot >/dev/null 2>&1 && imap_service_present; then
  echo "dovecot already installed: $(dovecot --version 2>/dev/null || echo dovecot)"
else
  apt_install dovecot-imapd
  if ! command -v dovecot >/dev/null 2>&1 || ! imap_service_present; then
    echo "install-dovecot: dovecot or its imap service missing after install" >&2
    exit 1
  fi
  echo "dovecot installed: $(dovecot --version 2>/dev/null || echo dovecot)"
fi
