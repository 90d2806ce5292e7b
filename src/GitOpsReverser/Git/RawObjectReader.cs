using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace GitOpsReverser.Git;

/// <summary>
/// Reads objects' raw bytes (loose or packed, deltas resolved) from a repository's object database
/// through libgit2's <c>git_odb</c>, which LibGit2Sharp wraps only for blobs. Pushes need the exact
/// bytes of trees and commits; rebuilding them from parsed entries could differ from what was hashed.
/// </summary>
internal sealed class RawObjectReader : IDisposable
{
    private static readonly OdbOpen Open = LibGit2Native.Function<OdbOpen>("git_odb_open");
    private static readonly OdbRead Read = LibGit2Native.Function<OdbRead>("git_odb_read");
    private static readonly ObjectData Data = LibGit2Native.Function<ObjectData>("git_odb_object_data");
    private static readonly ObjectSize Size = LibGit2Native.Function<ObjectSize>("git_odb_object_size");
    private static readonly ObjectType Type = LibGit2Native.Function<ObjectType>("git_odb_object_type");
    private static readonly Free FreeObject = LibGit2Native.Function<Free>("git_odb_object_free");
    private static readonly Free FreeOdb = LibGit2Native.Function<Free>("git_odb_free");
    private static readonly LastError Error = LibGit2Native.Function<LastError>("git_error_last");

    private nint odb;

    /// <summary>Opens the object database of the repository whose git folder is <paramref name="gitDirectory"/>.</summary>
    public RawObjectReader(string gitDirectory)
    {
        var objects = Path.Combine(gitDirectory, "objects");
        if (Open(out odb, objects) != 0)
        {
            throw new InvalidOperationException($"libgit2 could not open the object database {objects}");
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int OdbOpen(out nint odb, [MarshalAs(UnmanagedType.LPUTF8Str)] string objectsDirectory);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int OdbRead(out nint obj, nint odb, byte[] oid);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint ObjectData(nint obj);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nuint ObjectSize(nint obj);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ObjectType(nint obj);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void Free(nint handle);

    // A git_error*: { char *message; int klass; }.
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint LastError();

    /// <summary>The object's type (1 commit, 2 tree, 3 blob, 4 tag, as in packs) and bytes.</summary>
    public (int Type, byte[] Content) Get(ObjectId id)
    {
        ObjectDisposedException.ThrowIf(odb == 0, this);
        if (Read(out var obj, odb, id.RawId) != 0)
        {
            var error = Error();
            var message = error == 0 ? null : Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(error));
            throw new InvalidOperationException($"reading object {id} from the clone failed: {message ?? "unknown error"}");
        }

        try
        {
            var content = new byte[checked((int)Size(obj))];
            Marshal.Copy(Data(obj), content, 0, content.Length);
            return (Type(obj), content);
        }
        finally
        {
            FreeObject(obj);
        }
    }

    public void Dispose()
    {
        if (odb != 0)
        {
            FreeOdb(odb);
            odb = 0;
        }
    }
}
