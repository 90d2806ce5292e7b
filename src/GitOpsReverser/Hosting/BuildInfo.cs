using System.Reflection;

namespace GitOpsReverser.Hosting;

/// <summary>
/// The operator's version and the commit it was built from, from the assembly's informational version
/// (<c>Version</c> in Directory.Build.props, <c>+commit</c> added by the SDK from Git, or from
/// <c>SOURCE_COMMIT</c> in the Dockerfile). <c>gitops-reverser version</c>, <c>gitops_reverser_build_info</c>
/// and the traces' service version all say these.
/// </summary>
internal static class BuildInfo
{
    private static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The SemVer version, such as <c>0.1.0</c>.</summary>
    public static string Version { get; } = Informational.Split('+')[0];

    /// <summary>The full commit id the build came from, or <c>unknown</c>.</summary>
    public static string Commit { get; } = Informational.Split('+') is [_, { Length: > 0 } commit, ..] ? commit : "unknown";
}
