using System.Runtime.CompilerServices;

namespace GitOpsReverser.Tests.TestSupport;

/// <summary>Golden files: read from the build output, rewritten in the source tree when UPDATE_GOLDEN=1.</summary>
internal static class Testdata
{
    public static bool UpdateGolden => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    public static string CaseDirectory(string caseName) =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", caseName);

    public static IEnumerable<string> CaseNames() =>
        System.IO.Directory.GetDirectories(Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata"))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    public static string InputPath(string caseName) =>
        System.IO.Directory.GetFiles(CaseDirectory(caseName), "input.*").Single();

    public static string SourceCaseDirectory(string caseName, [CallerFilePath] string callerFile = "") =>
        Path.Combine(FindProjectDirectory(callerFile), "testdata", caseName);

    /// <summary>The repository's top folder, for files such as README.md.</summary>
    public static string RepositoryRoot([CallerFilePath] string callerFile = "") =>
        Path.GetFullPath(Path.Combine(FindProjectDirectory(callerFile), "..", ".."));

    private static string FindProjectDirectory(string start)
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(start)!);
        while (directory is not null && !directory.EnumerateFiles("*.Tests.csproj").Any())
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"no test project above {start}");
    }
}
