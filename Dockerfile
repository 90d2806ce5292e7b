# The operator image: the published operator (framework-dependent, eng/publish.sh) on the chiseled
# ASP.NET Core runtime image. No shell, no package manager; runs as user 65532 with a read-only root
# file system: the Helm chart mounts the data directory (/var/lib/gitops-reverser) and /tmp as volumes.
# The build machines have no Docker engine: ./build.sh runs the same eng/publish.sh, and the end-to-end
# tests run that output the way the chart's container does.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/GitOpsReverser/GitOpsReverser.csproj src/GitOpsReverser/
COPY src/GitOpsReverser.Api/GitOpsReverser.Api.csproj src/GitOpsReverser.Api/
RUN dotnet restore src/GitOpsReverser/GitOpsReverser.csproj
COPY eng/publish.sh eng/
COPY src/GitOpsReverser.Api/ src/GitOpsReverser.Api/
COPY src/GitOpsReverser/ src/GitOpsReverser/
# The commit the image is built from (the release workflow passes it): `gitops-reverser version` and
# gitops_reverser_build_info name it; the build context has no .git to read it from.
ARG SOURCE_COMMIT=unknown
RUN eng/publish.sh /app -p:SourceRevisionId=$SOURCE_COMMIT

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
# VERSION is Directory.Build.props's <Version>, which the release workflow checks against its tag.
ARG VERSION=0.1.0
ARG SOURCE_COMMIT=unknown
LABEL org.opencontainers.image.title="gitops-reverser" \
      org.opencontainers.image.description="Captures live Kubernetes changes and commits them, sanitized, to Git." \
      org.opencontainers.image.source="https://github.com/gitops-reverser/gitops-reverser-dotnet" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$SOURCE_COMMIT"
WORKDIR /app
COPY --from=build /app .
# .NET writes its diagnostics socket under TMPDIR and nothing under HOME; both point at the /tmp volume.
ENV HOME=/tmp TMPDIR=/tmp
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["dotnet", "/app/gitops-reverser.dll"]
CMD ["run", "--data-dir=/var/lib/gitops-reverser"]
