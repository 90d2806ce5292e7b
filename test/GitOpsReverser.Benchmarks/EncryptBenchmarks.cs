using System.Text;
using BenchmarkDotNet.Attributes;
using GitOpsReverser.Capture;
using GitOpsReverser.Encryption;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Benchmarks;

/// <summary>
/// <c>secretPolicy: Encrypt</c> for a Secret with 10 keys of 32–200 bytes as the API server returns it: sanitize,
/// fingerprint (the change check), then the SOPS file for 1 or 3 age recipients. Only the last part is new
/// cost, and it is paid only when a Secret really changed.
/// </summary>
[MemoryDiagnoser]
public class EncryptBenchmarks
{
    // Public keys printed by age-keygen.
    private static readonly string[] Keys =
    [
        "age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw",
        "age1s4f57ml6fmq2g6trp5g5j3jytgd8ycwldj92v6jkp8gzgakdeqhqymd52u",
        "age1surwk048c02unq4g667exg79w689c0dkeeuql4qa2jqhxs0qlvyqx0f2qs",
    ];

    private byte[] secretJson = [];
    private Sanitizer sanitizer = null!;
    private SopsEncryptor encryptor = null!;

    [Params(1, 3)]
    public int Recipients { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = new StringBuilder();
        for (var i = 0; i < 10; i++)
        {
            var value = Convert.ToBase64String(Encoding.UTF8.GetBytes(new string((char)('a' + i), 32 + (i * 18))));
            data.Append(i == 0 ? "" : ",").Append($"\"key-{i}\": \"{value}\"");
        }

        secretJson = Encoding.UTF8.GetBytes($$"""
            {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
             "metadata": {"name": "db", "namespace": "shop", "uid": "1b0c", "resourceVersion": "7", "creationTimestamp": "2026-11-29T10:00:00Z",
                          "labels": {"app": "db"}, "managedFields": [{"manager": "kubectl-create", "operation": "Update", "apiVersion": "v1", "time": "2026-11-29T10:00:00Z"}]},
             "data": { {{data}} } }
            """);
        sanitizer = new Sanitizer(Options.Create(new SanitizerOptions { FingerprintKey = Convert.ToBase64String(new byte[32]) }));
        encryptor = new SopsEncryptor([.. Keys.Take(Recipients).Select(AgeRecipient.Parse)]);
    }

    // What the capture does for every event: sanitize, then the file's canonical YAML and stamp.
    [Benchmark(Baseline = true)]
    public byte[] SanitizeAndFingerprint() => Capture().Sanitized;

    // What a real change adds: the SOPS file.
    [Benchmark]
    public byte[] SanitizeFingerprintAndEncrypt() => Capture().Content();

    private CapturedFile Capture() =>
        CapturedFile.Of(sanitizer.Sanitize((MappingNode)JsonManifestReader.Read(secretJson), SecretPolicy.Encrypt), sanitizer, encryptor, TimeProvider.System)!;
}
