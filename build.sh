#!/usr/bin/env bash
# Cake bootstrapper: ./build.sh --target=Test runs the whole test suite and ends with the line
# "N passed, N failed" (written by build.cake, printed here after Cake's own report).
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

target=Test
for argument in "$@"; do
  case "$argument" in --target=*) target="${argument#--target=}" ;; esac
done

summary=artifacts/test-summary.txt
rm -f "$summary"
dotnet tool restore >/dev/null && dotnet cake build.cake "$@"
status=$?

if [ "$target" = Test ]; then
  if [ -f "$summary" ]; then
    cat "$summary"
  else
    # Cake never reached its teardown (tool restore or script failure): that is a failed run.
    echo "0 passed, 1 failed"
    [ "$status" -ne 0 ] || status=1
  fi
fi
exit "$status"
