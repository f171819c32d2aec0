#!/usr/bin/env bash
# Builds Tokenmeter's Collector distribution (collector/builder-config.yaml) with the OpenTelemetry
# Collector Builder, fetched from the Go module proxy, and prints the binary's path on stdout (logs
# go to stderr). The binary is cached outside the repository under a directory named by the hash of
# the manifest and the builder version, so an unchanged manifest is never rebuilt.
set -euo pipefail

OCB_VERSION="v0.161.0" # same release as the components in the manifest
here="$(cd "$(dirname "$0")/.." && pwd)"
manifest="$here/builder-config.yaml"
binary_name="otelcol-tokenmeter"

log() { echo "build-collector: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null || die "Go is required (https://go.dev/dl/); none found on PATH"
[ -f "$manifest" ] || die "manifest not found: $manifest"

hash="$( { cat "$manifest"; echo "$OCB_VERSION"; } | sha256sum | cut -c1-16)"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/tokenmeter"
dir="$cache_root/otelcol-$hash"
binary="$dir/$binary_name"

if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

mkdir -p "$dir"
# One build at a time per manifest: a second caller waits and then reuses the first one's binary.
exec 9>"$dir/.lock"
flock 9
if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

builder="$dir/bin/builder"
if [ ! -x "$builder" ]; then
  log "installing the OpenTelemetry Collector Builder $OCB_VERSION"
  GOBIN="$dir/bin" go install "go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION" >&2 \
    || die "could not install the builder $OCB_VERSION from the Go module proxy"
fi

log "building $binary_name from $manifest (several minutes on a small machine)"
rm -rf "$dir/build"
(cd "$dir" && "$builder" --config="$manifest" --ldflags="-s -w") >&2 \
  || die "the builder failed; see the messages above"
[ -x "$dir/build/$binary_name" ] || die "the builder finished without producing $dir/build/$binary_name"

mv "$dir/build/$binary_name" "$binary.tmp"
mv "$binary.tmp" "$binary"
"$binary" --version >&2 || die "the built binary does not run"
echo "$binary"
