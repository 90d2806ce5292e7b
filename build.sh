#!/usr/bin/env bash
# Cake bootstrapper: ./build.sh --target=Test runs the whole test suite and ends with the line
# "N passed, N failed" (written by build.cake, printed here after Cake's own report).
# ./build.sh --target=UnitTest runs the unit tests alone (seconds), ending with the same line.
# ./build.sh --target=Playground [--port PORT] [--dir DIR] builds and runs the playground.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

target=Test
for argument in "$@"; do
  case "$argument" in --target=*) target="${argument#--target=}" ;; esac
done

if [ "$target" = Playground ]; then
  # Cake builds and publishes; the playground then replaces this shell, so Ctrl+C and SIGTERM reach it.
  dotnet tool restore >/dev/null && dotnet cake build.cake --target=Playground --verbosity=quiet || exit $?
  arguments=()
  for argument in "$@"; do
    case "$argument" in --target=*) ;; *) arguments+=("$argument") ;; esac
  done
  exec dotnet artifacts/publish/playground/gitops-reverser-playground.dll "${arguments[@]}"
fi

summary=artifacts/test-summary.txt
rm -f "$summary"
dotnet tool restore >/dev/null && dotnet cake build.cake "$@"
status=$?

if [ "$target" = Test ] || [ "$target" = UnitTest ]; then
  if [ -f "$summary" ]; then
    cat "$summary"
  else
    # Cake never reached its teardown (tool restore or script failure): that is a failed run.
    echo "0 passed, 1 failed"
    [ "$status" -ne 0 ] || status=1
  fi
fi
exit "$status"
