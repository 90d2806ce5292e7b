using System.CommandLine;
using GitOpsReverser.Encryption;
using GitOpsReverser.Git.Layout;
using GitOpsReverser.Sanitizing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Cli;

/// <summary><c>gitops-reverser sanitize -f FILE</c>: preview exactly what would be committed for some manifests.</summary>
internal static class SanitizeCommand
{
    public const int InvalidDocumentsExitCode = 2;
    public const int UsageExitCode = 1;

    public static Command Create()
    {
        var file = new Option<string>("--filename", "-f")
        {
            Description = "The JSON or YAML file to sanitize (multi-document YAML and kind: List work); - reads standard input.",
            Required = true,
        };
        var secretPolicy = new Option<SecretPolicy?>("--secret-policy")
        {
            Description = "What to write for Secret values: fingerprint (default), redact, skip, or encrypt (with --age-recipient).",
        };
        var ageRecipients = new Option<string[]>("--age-recipient")
        {
            Description = "An age public key (age1…) to encrypt Secrets for under --secret-policy encrypt; repeat for more.",
            AllowMultipleArgumentsPerToken = false,
        };
        var keepDefaults = new Option<bool>("--keep-defaults")
        {
            Description = "Keep fields whose value is the API server's default.",
        };
        var fingerprintKeyFile = new Option<FileInfo?>("--fingerprint-key-file")
        {
            Description = "A file holding the base64 fingerprint key, so fingerprints match the operator's.",
        };
        var baseFolder = new Option<string>("--base-folder")
        {
            Description = "The repository folder the paths start in.",
            DefaultValueFactory = _ => string.Empty,
        };

        var command = new Command("sanitize", "Print the sanitized, canonical YAML and repository path of every object in a file.")
        {
            file, secretPolicy, ageRecipients, keepDefaults, fingerprintKeyFile, baseFolder,
        };
        command.SetAction(parseResult =>
        {
            var overrides = new Dictionary<string, string?>();
            var policy = parseResult.GetValue(secretPolicy);
            if (policy is { } chosen && chosen != SecretPolicy.Encrypt)
            {
                overrides[$"{SanitizerOptions.Section}:{nameof(SanitizerOptions.SecretPolicy)}"] = chosen.ToString();
            }

            if (parseResult.GetValue(keepDefaults))
            {
                overrides[$"{SanitizerOptions.Section}:{nameof(SanitizerOptions.RemoveDefaults)}"] = "false";
            }

            if (parseResult.GetValue(fingerprintKeyFile) is { } keyFile)
            {
                overrides[$"{SanitizerOptions.Section}:{nameof(SanitizerOptions.FingerprintKey)}"] = File.ReadAllText(keyFile.FullName).Trim();
            }

            SopsEncryptor? encryptor = null;
            var recipients = parseResult.GetValue(ageRecipients) ?? [];
            if (policy == SecretPolicy.Encrypt || recipients.Length > 0)
            {
                if (policy != SecretPolicy.Encrypt || recipients.Length == 0)
                {
                    Console.Error.WriteLine("error: --secret-policy encrypt and --age-recipient go together (the recipient is an age public key, age1…)");
                    return UsageExitCode;
                }

                var parsed = new List<AgeRecipient>();
                foreach (var text in recipients)
                {
                    if (!AgeRecipient.TryParse(text, out var recipient, out var error))
                    {
                        Console.Error.WriteLine($"error: --age-recipient {(text.StartsWith("age1", StringComparison.OrdinalIgnoreCase) ? text : "")} {error}");
                        return UsageExitCode;
                    }

                    parsed.Add(recipient);
                }

                encryptor = new SopsEncryptor(parsed);
            }

            return Run(parseResult.GetValue(file)!, parseResult.GetValue(baseFolder)!, overrides, Console.In, Console.Out, Console.Error, encryptor);
        });
        return command;
    }

    /// <summary>Runs the command; with <paramref name="encryptor"/>, Secrets are written as SOPS files encrypted for its recipients.</summary>
    public static int Run(string file, string baseFolder, Dictionary<string, string?> overrides, TextReader stdin, TextWriter stdout, TextWriter stderr,
        SopsEncryptor? encryptor = null)
    {
        using var host = OperatorHost.CreateCommandHost(services => services.AddSanitizing(), overrides);
        Sanitizer sanitizer;
        RepositoryLayout layout;
        try
        {
            sanitizer = host.Services.GetRequiredService<Sanitizer>();
            layout = new RepositoryLayout(baseFolder);
        }
        catch (Exception exception) when (exception is OptionsValidationException or ArgumentException)
        {
            stderr.WriteLine($"error: {exception.Message}");
            return UsageExitCode;
        }

        string input;
        try
        {
            input = file == "-" ? stdin.ReadToEnd() : File.ReadAllText(file);
        }
        catch (IOException exception)
        {
            stderr.WriteLine($"error: cannot read {file}: {exception.Message}");
            return UsageExitCode;
        }

        var preview = new SanitizePreview(sanitizer, layout, encryptor, TimeProvider.System);
        var invalid = preview.Write(input, stdout, stderr);
        if (sanitizer.HasEphemeralFingerprintKey && preview.SensitiveWritten > 0)
        {
            stderr.WriteLine("note: no fingerprint key is configured, so Secret fingerprints differ from run to run (see --fingerprint-key-file).");
        }

        return invalid > 0 ? InvalidDocumentsExitCode : 0;
    }
}
