#!/bin/sh
# Builds dist/ (so the tests that start bin/roost run fresh output) and type-checks everything,
# then runs every test file under test/ with node's test runner: the store, unit,
# end-to-end, property and CLI tests on SQLite (and the PostgreSQL-only ones when ROOST_TEST_PG
# names a database). With ROOST_TEST_PG set, the HTTP (end-to-end and property), CLI and graph
# tests then run a second time on PostgreSQL (ROOST_TEST_BACKEND=postgres; each database a schema of its own,
# dropped at the end; Redis for shared state when ROOST_TEST_REDIS names one).
# (Node 20's --test does not expand globs itself.) Three files at a time on two cores: most of
# the suite's time is spent waiting (servers starting, timeouts, Chromium), not computing.
set -e
cd "$(dirname "$0")/.."
npm run build --silent
npx tsc --noEmit
npx tsc --noEmit -p src/console/client
# An import cycle in src/ fails the run before any test starts.
node --import tsx scripts/check-imports.ts --strict
status=0
echo "# pass 1: every test; end-to-end on SQLite"
# Servers log to files here, and the helpers note every credential they use: none may be logged.
logs=$(mktemp -d)
ROOST_TEST_LOG_DIR="$logs" node --import tsx --test --test-concurrency=3 $(find test -name '*.test.ts' | sort) "$@" || status=$?
npx tsx scripts/check-log-secrets.ts "$logs" || status=1
rm -rf "$logs"
if [ -n "$ROOST_TEST_PG" ]; then
  echo "# pass 2: HTTP, CLI, graph and webhook tests on PostgreSQL${ROOST_TEST_REDIS:+ and Redis}"
  # The property tests prove the rules with full runs on SQLite; here they prove PostgreSQL
  # gives the same answers, with fewer runs to keep the suite short (override as usual).
  ROOST_TEST_BACKEND=postgres ROOST_GRAPH_RUNS="${ROOST_GRAPH_RUNS:-20}" ROOST_CURSOR_RUNS="${ROOST_CURSOR_RUNS:-20}" \
    node --import tsx --test --test-concurrency=3 \
    $(find test/http test/cli test/graph -name '*.test.ts' | sort) test/webhooks/webhooks.test.ts test/webhooks/two-processes.test.ts \
    test/auth/nonce-replay-restart.test.ts "$@" || status=$?
fi
exit $status
