#!/usr/bin/env bash
# Publishes the operator: the one command both the Dockerfile and the build (./build.sh, which the
# end-to-end tests then run) use, so the tests run exactly what the image holds.
#   eng/publish.sh OUTPUT_DIRECTORY [MSBUILD_PROPERTY...]   (the Dockerfile adds -p:SourceRevisionId=COMMIT)
# Framework-dependent: the image's base (mcr.microsoft.com/dotnet/aspnet) carries the .NET runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:?usage: eng/publish.sh OUTPUT_DIRECTORY [MSBUILD_PROPERTY...]}
shift
exec dotnet publish src/GitOpsReverser/GitOpsReverser.csproj -c Release --no-restore -o "$output" -p:UseAppHost=false "$@"
