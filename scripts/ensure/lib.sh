# Shared helpers for the ensure-* scripts: install Debian packages once, fail loudly.
set -euo pipefail

die() { echo "ensure: $*" >&2; exit 1; }

# apt_install PKG... : installs Debian packages, running `apt-get update` once per machine boot.
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  local stamp=/tmp/.tokenmeter-apt-updated
  if [ ! -f "$stamp" ]; then
    echo "ensure: apt-get update" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
    touch "$stamp"
  fi
  echo "ensure: apt-get install $*" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 \
    || die "apt-get install $* failed"
}
