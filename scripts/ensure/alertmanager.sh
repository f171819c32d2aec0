#!/usr/bin/env bash
# amtool from Debian's prometheus-alertmanager package (renders the notification templates with
# Alertmanager's own Go template engine); prints the path of amtool.
source "$(dirname "$0")/lib.sh"
if ! command -v amtool >/dev/null; then
  apt_install prometheus-alertmanager
  # The package's service may start Alertmanager on :9093; the tests only run `amtool template render`.
fi
command -v amtool >/dev/null || die "amtool not found after installing prometheus-alertmanager"
amtool template render --help >/dev/null 2>&1 \
  || die "$(command -v amtool) has no 'template render' (Alertmanager 0.25 or newer needed)"
command -v amtool
