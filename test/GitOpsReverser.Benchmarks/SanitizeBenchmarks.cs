using BenchmarkDotNet.Attributes;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Benchmarks;

/// <summary>
/// Parse, sanitize and write canonical YAML for a realistic 6 KB Deployment as the API server returns it
/// (managedFields, status, last-applied configuration). Objects per second = 1 / Mean.
/// </summary>
[MemoryDiagnoser]
public class SanitizeBenchmarks
{
    private byte[] deploymentJson = [];
    private Sanitizer sanitizer = null!;

    [GlobalSetup]
    public void Setup()
    {
        deploymentJson = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "deployment.json"));
        sanitizer = new Sanitizer(Options.Create(new SanitizerOptions { FingerprintKey = Convert.ToBase64String(new byte[32]) }));
    }

    [Benchmark]
    public string SanitizeDeploymentJson()
    {
        var manifest = (MappingNode)JsonManifestReader.Read(deploymentJson);
        return CanonicalYaml.Write(sanitizer.Sanitize(manifest).Manifest!);
    }
}
