using GitOpsReverser.Sanitizing;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.TestSupport;

internal static class TestSanitizer
{
    /// <summary>base64 of "gitops-reverser-test-key-0123456": fixed, so golden fingerprints are stable.</summary>
    public const string FingerprintKey = "Z2l0b3BzLXJldmVyc2VyLXRlc3Qta2V5LTAxMjM0NTY=";

    /// <summary>Sanitizes a YAML object with the test settings and returns the canonical YAML.</summary>
    public static string SanitizeYaml(string yaml, Action<SanitizerOptions>? configure = null) =>
        CanonicalYaml.Write(Create(configure).Sanitize(Manifest.Yaml(yaml)).Manifest!);

    public static Sanitizer Create(Action<SanitizerOptions>? configure = null)
    {
        var options = new SanitizerOptions { FingerprintKey = FingerprintKey };
        configure?.Invoke(options);
        return new Sanitizer(Options.Create(options));
    }
}
