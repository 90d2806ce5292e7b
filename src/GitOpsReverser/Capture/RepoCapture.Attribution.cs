using System.Globalization;
using System.Text;
using GitOpsReverser.Attribution;
using GitOpsReverser.Git;
using GitOpsReverser.Manifests;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Capture;

/// <summary>Who made a change (the attribution webhook's record, else the last field manager), and what a rule leaves out because of it.</summary>
internal sealed partial class RepoCapture
{
    private static string AttributionKey(ObjectIdentity identity) =>
        AttributionRecords.KeyOf(identity.Group, identity.Kind, identity.Namespace, identity.Name);

    // The attribution webhook's record of who wrote this content of the object, if it saw the write.
    private AttributionRecord? Writer(ObjectIdentity identity, MappingNode obj, CaptureRule rule, byte[] yaml, bool ignored) =>
        attribution?.Credit(this, AttributionKey(identity), () => AttributionHash(obj, rule, yaml, ignored));

    // The webhook hashes objects sanitized with the operator's secret policy and nothing ignored; a rule with its
    // own policy, or whose ignoreFields removed something, hashes its event that way too.
    private ulong AttributionHash(MappingNode obj, CaptureRule rule, byte[] yaml, bool ignored)
    {
        if (attribution is null || (PolicyFor(rule) is null && !ignored))
        {
            return ContentHash.Of(yaml);
        }

        var asWebhookSees = sanitizer.Sanitize((MappingNode)obj.DeepClone(), null);
        return asWebhookSees.IsSkipped ? 0 : ContentHash.Of(Encoding.UTF8.GetBytes(CanonicalYaml.Write(asWebhookSees.Manifest!)));
    }

    private static ChangeDescription Credited(ChangeDescription description, AttributionRecord? writer) =>
        writer is null ? description : description with { User = writer.User, Groups = writer.Groups };

    private static bool Excludes(CaptureRule rule, AttributionRecord? credited) =>
        credited is not null && (rule.ExcludeUsers.Contains(credited.User) || credited.Groups.Any(rule.ExcludeGroups.Contains));

    private static bool Allows(CaptureRule rule, ChangeOperation operation) => operation switch
    {
        ChangeOperation.Create => rule.Operations.HasFlag(CaptureOperations.Create),
        ChangeOperation.Update => rule.Operations.HasFlag(CaptureOperations.Update),
        _ => rule.Operations.HasFlag(CaptureOperations.Delete),
    };

    // The manager of the most recent managedFields entry, and when it wrote.
    private static (string? Manager, DateTimeOffset? Time) LastManager(MappingNode? metadata)
    {
        string? manager = null;
        DateTimeOffset? latest = null;
        foreach (var entry in metadata?.GetSequence("managedFields")?.Items.OfType<MappingNode>() ?? [])
        {
            if (DateTimeOffset.TryParse(entry.GetString("time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                && (latest is null || when >= latest))
            {
                latest = when;
                manager = entry.GetString("manager");
            }
        }

        return (manager, latest);
    }
}
