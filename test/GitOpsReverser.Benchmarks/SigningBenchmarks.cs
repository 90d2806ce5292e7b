using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using GitOpsReverser.Git.Clone;

namespace GitOpsReverser.Benchmarks;

/// <summary>
/// What <c>commit.signing</c> adds to a commit: the SSH signature (Ed25519, SHA-512, armored) of a typical commit's text.
///   dotnet run -c Release --project test/GitOpsReverser.Benchmarks -- --filter '*SigningBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private const string Commit = """
        tree 9bf5e6fcb4f1e2a3b0cd3c1b6a1f2f0d8e4a5b6c
        parent 3f2a9c1d0e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c
        author alice@company.com <alice@company.com> 1764990000 +0000
        committer GitOps Reverser <gitops-reverser@localhost> 1764990000 +0000

        [UPDATE] ConfigMap/app-config in ns/production by user/alice@company.com

        - Resource: ConfigMap/app-config
        - Namespace: production
        - Operation: UPDATE
        - User: alice@company.com
        - Groups: developers, system:authenticated
        - Timestamp: 2026-12-06T10:00:00Z
        - Resource Version: 12345

        """;

    private SshCommitSigner signer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var file = Path.Combine(Path.GetTempPath(), $"signing-bench-{Guid.NewGuid():N}");
        using (var keygen = Process.Start(new ProcessStartInfo("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]))!)
        {
            keygen.WaitForExit();
        }

        signer = SshCommitSigner.TryLoad(File.ReadAllText(file), "bench", out var problem) ?? throw new InvalidOperationException(problem);
        File.Delete(file);
        File.Delete(file + ".pub");
    }

    [Benchmark]
    public string SignACommit() => signer.Sign(Commit);
}
