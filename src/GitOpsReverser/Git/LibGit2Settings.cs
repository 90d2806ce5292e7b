using System.Runtime.InteropServices;

namespace GitOpsReverser.Git;

/// <summary>
/// libgit2's process-wide settings, tuned for large folders. LibGit2Sharp has no setter for these
/// options, so they go through <c>git_libgit2_opts</c> in the native library LibGit2Sharp loaded.
/// <list type="bullet">
/// <item>The object cache: libgit2 caches parsed trees only up to 4 KiB, about 100 entries, so every
/// read of a larger folder parsed it again (a push of 340 commits over 100 folders of 1,000 files took
/// 5.5 s, 1.8 s with the folders cached).</item>
/// <item>No re-hashing of every object read: libgit2 checks each object's SHA-1 (its slower,
/// collision-detecting one) on every read, which git itself leaves to <c>git fsck</c>. Packing read each
/// version of a folder of 10,000 files (450 KB) twice and spent most of its time hashing them.</item>
/// </list>
/// </summary>
internal static class LibGit2Settings
{
    // git_libgit2_opt_t and git_object_t values from git2/common.h and git2/types.h.
    private const int SetCacheObjectLimit = 6;
    private const int SetCacheMaxSize = 7;
    private const int GetCachedMemory = 9;
    private const int EnableStrictHashVerification = 22;
    private const int CommitType = 1;
    private const int TreeType = 2;

    /// <summary>Trees up to this size stay in the cache: a folder of about 100,000 files.</summary>
    public const int TreeCacheLimit = 8 << 20;

    /// <summary>The cache's total size across every repository (libgit2's default is 256 MiB).</summary>
    public const long CacheMaxSize = 96L << 20;

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>Applies the settings once per process; false where the native options could not be set.</summary>
    public static bool EnsureApplied() => Applied.Value;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetObjectLimit(int option, int type, nuint size);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetSize(int option, nint size);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetFlag(int option, int value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int GetSizes(int option, out nint current, out nint allowed);

    /// <summary>The object cache's size limit libgit2 is using now, or null where it cannot be read.</summary>
    public static long? CacheLimit() =>
        !OperatingSystem.IsMacOS() && TryFindOptions(out var options)
        && Marshal.GetDelegateForFunctionPointer<GetSizes>(options)(GetCachedMemory, out _, out var allowed) == 0
            ? allowed
            : null;

    private static bool Apply()
    {
        // Variadic arguments are passed like fixed ones on Linux and Windows x64, not on Apple arm64.
        if (OperatingSystem.IsMacOS() || !TryFindOptions(out var options))
        {
            return false;
        }

        var setLimit = Marshal.GetDelegateForFunctionPointer<SetObjectLimit>(options);
        var setMaxSize = Marshal.GetDelegateForFunctionPointer<SetSize>(options);
        var setFlag = Marshal.GetDelegateForFunctionPointer<SetFlag>(options);
        return setLimit(SetCacheObjectLimit, TreeType, TreeCacheLimit) == 0
            && setLimit(SetCacheObjectLimit, CommitType, 64 << 10) == 0
            && setMaxSize(SetCacheMaxSize, (nint)CacheMaxSize) == 0
            && setFlag(EnableStrictHashVerification, 0) == 0;
    }

    private static bool TryFindOptions(out nint options) => LibGit2Native.TryExport("git_libgit2_opts", out options);
}
