#!/bin/sh
# Type-checks, then runs every test file under test/ with node's test runner.
# (Node 20's --test does not expand globs itself.)
set -e
cd "$(dirname "$0")/.."
npx tsc --noEmit
exec node --import tsx --test --test-concurrency=2 $(find test -name '*.test.ts' | sort) "$@"
