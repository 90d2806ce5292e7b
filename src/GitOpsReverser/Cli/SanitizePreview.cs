using GitOpsReverser.Capture;
using GitOpsReverser.Encryption;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.Cli;

/// <summary>
/// What <c>gitops-reverser sanitize</c> prints: for every object a <c># path</c> line and its canonical YAML,
/// documents separated by <c>---</c>; a document that is not a Kubernetes object is reported on the error
/// writer with its location and reason, and the others are still printed. With an <paramref name="encryptor"/>,
/// Secrets are printed as the SOPS files <c>secretPolicy: Encrypt</c> commits.
/// </summary>
internal sealed class SanitizePreview(Sanitizer sanitizer, RepositoryLayout layout, SopsEncryptor? encryptor = null, TimeProvider? time = null)
{
    /// <summary>How many objects of a sensitive kind (a Secret) the last <see cref="Write"/> printed.</summary>
    public int SensitiveWritten { get; private set; }

    /// <summary>Returns the number of documents that could not be read as Kubernetes objects.</summary>
    public int Write(string input, TextWriter output, TextWriter errors)
    {
        var invalid = 0;
        var first = true;
        foreach (var manifestObject in ManifestReader.ReadObjects(input))
        {
            if (!manifestObject.IsValid)
            {
                invalid++;
                errors.WriteLine($"error: {manifestObject.Location}: {manifestObject.Error}");
                continue;
            }

            var result = sanitizer.Sanitize(manifestObject.Manifest!, encryptor is null ? null : SecretPolicy.Encrypt);
            if (result.IsSkipped)
            {
                errors.WriteLine($"skipped: {manifestObject.Location}: {result.Identity}: {result.SkipReason}");
                continue;
            }

            SensitiveWritten += sanitizer.IsSensitive(result.Identity) ? 1 : 0;
            if (!first)
            {
                output.WriteLine("---");
            }

            first = false;
            output.WriteLine($"# {layout.PathFor(result.Identity)}");
            if (result.SecretValues is not null)
            {
                // With an encryptor, as the operator commits it: the SOPS file.
                output.Write(System.Text.Encoding.UTF8.GetString(CapturedFile.Of(result, sanitizer, encryptor, time ?? TimeProvider.System)!.Content()));
                continue;
            }

            CanonicalYaml.Write(result.Manifest!, output);
        }

        return invalid;
    }
}
