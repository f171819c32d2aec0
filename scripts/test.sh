#!/usr/bin/env bash
# The whole test suite (README: `npm test`). Installs or starts every real component the tests use
# and fails loudly when one cannot be had: tests never skip a missing component.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== real components"
TOKENMETER_TEST_DATABASE_URL="$(bash scripts/ensure/postgres.sh up)"
TOKENMETER_PG_CTL="$PWD/scripts/ensure/postgres.sh"
TOKENMETER_PROMETHEUS_DIR="$(bash scripts/ensure/prometheus.sh)"
TOKENMETER_CHROMIUM="$(bash scripts/ensure/chromium.sh)"
TOKENMETER_AMTOOL="$(bash scripts/ensure/alertmanager.sh)"
TOKENMETER_OTELCOL_BIN="$(bash collector/scripts/build-collector.sh)"
TOKENMETER_OPENAI_7_DIR="$(bash scripts/ensure/openai-client.sh 7.60.0)"
TOKENMETER_PYTHON_EMITTERS="$(bash scripts/ensure/python-emitters.sh)"
export TOKENMETER_TEST_DATABASE_URL TOKENMETER_PG_CTL TOKENMETER_PROMETHEUS_DIR TOKENMETER_CHROMIUM TOKENMETER_AMTOOL TOKENMETER_OTELCOL_BIN TOKENMETER_OPENAI_7_DIR TOKENMETER_PYTHON_EMITTERS
echo "PostgreSQL  $TOKENMETER_TEST_DATABASE_URL"
echo "Prometheus  $TOKENMETER_PROMETHEUS_DIR/prometheus, promtool"
echo "Chromium    $TOKENMETER_CHROMIUM"
echo "amtool      $TOKENMETER_AMTOOL"
echo "Collector   $TOKENMETER_OTELCOL_BIN"
echo "openai 7    $TOKENMETER_OPENAI_7_DIR"
echo "Python emitters $TOKENMETER_PYTHON_EMITTERS"

echo "== build, type-check and lint"
npm run build
npm run lint

echo "== tests"
npm run test:workspaces
