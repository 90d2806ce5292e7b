namespace GitOpsReverser.TestServers;

/// <summary>A scratch directory deleted when the test is done.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "gitops-reverser-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server still closing a file; the OS cleans the temp folder.
        }
        catch (UnauthorizedAccessException)
        {
            // Git marks pack files read-only on some systems.
        }
    }
}
