using System.Runtime.CompilerServices;

namespace GitOpsReverser.TestSupport;

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

    /// <summary>The case's folder in the source tree (this project's <c>testdata/</c>), where UPDATE_GOLDEN=1 writes.</summary>
    public static string SourceCaseDirectory(string caseName) => Path.Combine(ProjectDirectory(), "testdata", caseName);

    /// <summary>The repository's top folder, for files such as README.md.</summary>
    public static string RepositoryRoot() => Path.GetFullPath(Path.Combine(ProjectDirectory(), "..", ".."));

    private static string ProjectDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;
}
