#!/usr/bin/env bash
# An openai client release unpacked from the npm registry, for running the instrumented-client tests
# against a major other than the devDependency's (instrumentation/jest.config.js). `npm pack`, not
# `npm install`: openai 7 declares Node ≥ 22 (its one breaking change) and the project's .npmrc sets
# engine-strict, so it cannot be installed on the Node 20 the project supports; it has no runtime
# dependencies. Prints the package's directory.
source "$(dirname "$0")/lib.sh"
VERSION="${1:?usage: openai-client.sh <version>}"
DIR="${XDG_CACHE_HOME:-$HOME/.cache}/tokenmeter/openai-$VERSION"
if [ ! -f "$DIR/package/package.json" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "openai@$VERSION" --silent >/dev/null 2>&1) || die "npm pack openai@$VERSION failed"
  mkdir -p "$DIR"
  tar -xzf "$tmp"/openai-*.tgz -C "$DIR" || die "cannot unpack openai@$VERSION"
  rm -rf "$tmp"
fi
grep -q "\"version\": \"$VERSION\"" "$DIR/package/package.json" || die "$DIR holds no openai $VERSION"
echo "$DIR/package"
