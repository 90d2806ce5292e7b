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
RUN eng/publish.sh /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app .
# .NET writes its diagnostics socket under TMPDIR and nothing under HOME; both point at the /tmp volume.
ENV HOME=/tmp TMPDIR=/tmp
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["dotnet", "/app/gitops-reverser.dll"]
CMD ["run", "--data-dir=/var/lib/gitops-reverser"]
