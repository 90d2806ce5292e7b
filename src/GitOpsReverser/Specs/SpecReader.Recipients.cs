using GitOpsReverser.Encryption;
using ApiRecipientsReference = GitOpsReverser.Api.V1Alpha1.RecipientsReference;

namespace GitOpsReverser.Specs;

/// <summary>Age recipients: listed in the spec, or named by recipientsRef as lines of a Secret or ConfigMap.</summary>
internal static partial class SpecReader
{
    /// <summary>
    /// Reads age recipients, one per line (blank lines and <c># comments</c> skipped), as an age recipients file
    /// holds them; <paramref name="source"/> names where they come from in the message of a bad line, which never
    /// repeats the line (it could be a private key put there by mistake).
    /// </summary>
    public static List<AgeRecipient> ParseRecipientLines(string text, string source)
    {
        var recipients = new List<AgeRecipient>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            recipients.Add(AgeRecipient.TryParse(line, out var recipient, out var error)
                ? recipient
                : throw new SpecException("InvalidRecipient", $"{source}, line {i + 1}: the entry {error}"));
        }

        return recipients;
    }

    private static IReadOnlyList<AgeRecipient> AgeRecipients(List<string>? entries)
    {
        var recipients = new List<AgeRecipient>();
        entries ??= [];
        for (var i = 0; i < entries.Count; i++)
        {
            var text = entries[i] ?? "";
            if (!AgeRecipient.TryParse(text, out var recipient, out var error))
            {
                // A public key may be shown; anything else (a private key pasted by mistake) is not repeated.
                var shown = text.Trim().StartsWith("age1", StringComparison.OrdinalIgnoreCase) ? $" \"{text.Trim()}\"" : "";
                throw new SpecException("InvalidRecipient", $"encryption.age.recipients[{i}]{shown} {error}; an age recipient looks like age1 and 58 more characters");
            }

            recipients.Add(recipient);
        }

        return recipients.Count == 0 ? Array.Empty<AgeRecipient>() : recipients;
    }

    private static RecipientsReference? RecipientsRef(ApiRecipientsReference? reference)
    {
        if (reference is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(reference.Name) || string.IsNullOrEmpty(reference.Key))
        {
            throw Invalid("encryption.age.recipientsRef needs kind (ConfigMap or Secret), name and key");
        }

        return new RecipientsReference((reference.Kind ?? Api.V1Alpha1.RecipientsKind.ConfigMap).ToString(), reference.Name, reference.Key);
    }
}
