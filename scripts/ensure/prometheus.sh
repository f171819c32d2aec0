#!/usr/bin/env bash
# Prometheus and promtool from Debian's prometheus package; prints the directory holding both.
source "$(dirname "$0")/lib.sh"
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  apt_install prometheus
  # The package's service may start on :9090; the tests run their own servers on other ports.
fi
command -v promtool >/dev/null || die "promtool not found after installing prometheus"
dirname "$(command -v prometheus)"
