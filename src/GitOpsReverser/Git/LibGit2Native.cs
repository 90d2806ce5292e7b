using System.Diagnostics;
using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// Functions of the libgit2 library LibGit2Sharp loaded, for what LibGit2Sharp does not wrap. Its file
/// name carries the libgit2 commit it was built from, so it is found among the process's modules.
/// </summary>
internal static class LibGit2Native
{
    private static readonly Lazy<nint> Library = new(Load);

    /// <summary>The address of <paramref name="name"/> in the loaded libgit2; false where it is not found.</summary>
    public static bool TryExport(string name, out nint address)
    {
        address = 0;
        return Library.Value != 0 && NativeLibrary.TryGetExport(Library.Value, name, out address);
    }

    /// <summary>The function <paramref name="name"/> as a delegate of type <typeparamref name="T"/>.</summary>
    public static T Function<T>(string name)
        where T : Delegate =>
        TryExport(name, out var address)
            ? Marshal.GetDelegateForFunctionPointer<T>(address)
            : throw new InvalidOperationException($"libgit2's {name} was not found in the loaded native library");

    private static nint Load()
    {
        // Loads (and initializes) LibGit2Sharp's native library.
        _ = GlobalSettings.GetUserAgent();
        var module = Process.GetCurrentProcess().Modules.Cast<ProcessModule>()
            .FirstOrDefault(module => module.ModuleName.StartsWith("libgit2", StringComparison.Ordinal)
                || module.ModuleName.StartsWith("git2", StringComparison.Ordinal));
        return module?.FileName is { } path && NativeLibrary.TryLoad(path, out var library) ? library : 0;
    }
}
