#!/usr/bin/env bash
# A Python venv with the third-party OpenAI instrumentations the real-emitter test runs
# (collector/src/test-support/emitters/python/requirements.txt, every package pinned); prints its
# python's path. Cached under ~/.cache/tokenmeter by the hash of the requirements file, so an
# unchanged file is installed once per machine.
source "$(dirname "$0")/lib.sh"
here="$(cd "$(dirname "$0")/../.." && pwd)"
requirements="$here/collector/src/test-support/emitters/python/requirements.txt"
[ -f "$requirements" ] || die "requirements not found: $requirements"

python="$(command -v python3 || true)"
if [ -z "$python" ] || ! "$python" -m venv --help >/dev/null 2>&1; then
  apt_install python3 python3-venv
  python="$(command -v python3)" || die "python3 not found after installing it"
fi

hash="$( { cat "$requirements"; "$python" --version; } | sha256sum | cut -c1-16)"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/tokenmeter"
venv="$cache_root/python-emitters-$hash"
if [ -x "$venv/bin/python" ] && [ -f "$venv/.complete" ]; then
  echo "$venv/bin/python"
  exit 0
fi

mkdir -p "$cache_root"
# One install at a time per requirements file: a second caller waits and reuses the first's venv.
exec 9>"$venv.lock"
flock 9
if [ -x "$venv/bin/python" ] && [ -f "$venv/.complete" ]; then
  echo "$venv/bin/python"
  exit 0
fi
rm -rf "$venv"
echo "ensure: creating the Python emitters' venv $venv" >&2
"$python" -m venv "$venv" >&2 || die "python3 -m venv $venv failed"
"$venv/bin/pip" install --quiet --no-deps --disable-pip-version-check -r "$requirements" >&2 \
  || die "pip install -r $requirements failed"
"$venv/bin/pip" check >&2 || die "the emitters' venv has conflicting packages (pip check)"
"$venv/bin/python" -c 'import opentelemetry.instrumentation.openai_v2, opentelemetry.instrumentation.openai, openinference.instrumentation.openai' >&2 \
  || die "the emitters' instrumentations do not import"
touch "$venv/.complete"
echo "$venv/bin/python"
