# The operator image. Not built in CI yet (no Docker engine on the build machines); the Helm chart that
# uses it is a later issue.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/GitOpsReverser/GitOpsReverser.csproj src/GitOpsReverser/
RUN dotnet restore src/GitOpsReverser/GitOpsReverser.csproj
COPY src/ src/
RUN dotnet publish src/GitOpsReverser/GitOpsReverser.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app .
USER 65532:65532
ENTRYPOINT ["dotnet", "/app/gitops-reverser.dll"]
