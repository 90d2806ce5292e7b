using System.Text.Json.Nodes;
using GitOpsReverser.Kube;

namespace GitOpsReverser.Restore;

/// <summary>
/// Takes objects back to what a commit recorded, through the API server: a server-side dry-run apply of each
/// (so the server's defaults, validation, admission and conflicts all speak), the corrections apply cannot make
/// (<see cref="ObjectComparison"/>), and with <see cref="RestoreRequest.Apply"/> the same for real, in
/// <see cref="InstallOrder"/>: namespaces and CRDs first, waiting until the CRDs are established.
/// </summary>
internal sealed partial class Restorer(ObjectClient client, ApiDiscovery discovery)
{
    private readonly HashSet<string> pendingNamespaces = new(StringComparer.Ordinal);
    private readonly HashSet<(string Group, string Kind)> pendingKinds = [];
    private readonly List<string> appliedCrds = [];
    private Dictionary<(string ApiVersion, string Kind), DiscoveredResource> served = [];

    /// <summary>How long <c>--apply</c> waits for a CustomResourceDefinition to be established.</summary>
    public TimeSpan EstablishTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Restores <paramref name="objects"/> as <paramref name="request"/> says, telling <paramref name="report"/> each outcome as it is known.</summary>
    public async Task<IReadOnlyList<ObjectOutcome>> RunAsync(IReadOnlyList<RecordedObject> objects, RestoreRequest request,
        Action<ObjectOutcome> report, CancellationToken cancellationToken)
    {
        var outcomes = new List<ObjectOutcome>();
        var selected = objects.Where(request.Covers).ToList();
        var restored = selected.Where(recorded => recorded.Desired is not null || recorded.Problem is not null)
            .OrderBy(recorded => InstallOrder.Rank(recorded.Identity.Kind)).ThenBy(recorded => recorded.Identity.Namespace, StringComparer.Ordinal)
            .ThenBy(recorded => recorded.Identity.Name, StringComparer.Ordinal).ToList();
        await DiscoverAsync(cancellationToken);

        var foundations = restored.TakeWhile(recorded => InstallOrder.IsFoundation(recorded.Identity.Kind) && recorded.Identity.Namespace is null).Count();
        for (var i = 0; i < restored.Count; i++)
        {
            if (i == foundations && appliedCrds.Count > 0)
            {
                // What the CRDs define is applied once they are served.
                await WaitEstablishedAsync(cancellationToken);
                await DiscoverAsync(cancellationToken);
            }

            var outcome = await RestoreAsync(restored[i], request, cancellationToken);
            outcomes.Add(outcome);
            report(outcome);
        }

        if (appliedCrds.Count > 0)
        {
            await WaitEstablishedAsync(cancellationToken);
        }

        var gone = selected.Where(recorded => recorded.Desired is null && recorded.Problem is null && recorded.Tip is not null)
            .OrderByDescending(recorded => InstallOrder.Rank(recorded.Identity.Kind)).ThenBy(recorded => recorded.Identity.Namespace, StringComparer.Ordinal)
            .ThenBy(recorded => recorded.Identity.Name, StringComparer.Ordinal);
        foreach (var recorded in gone)
        {
            if (await PruneAsync(recorded, request, cancellationToken) is { } outcome)
            {
                outcomes.Add(outcome);
                report(outcome);
            }
        }

        return outcomes;
    }

    private async Task<ObjectOutcome> RestoreAsync(RecordedObject recorded, RestoreRequest request, CancellationToken cancellationToken)
    {
        var identity = recorded.Identity;
        if (recorded.Problem is { } problem)
        {
            return Outcome(RestoreAction.Refused, problem);
        }

        if (!served.TryGetValue((identity.ApiVersion, identity.Kind), out var resource))
        {
            return pendingKinds.Contains((identity.Group, identity.Kind))
                ? Outcome(RestoreAction.Create, "after its CustomResourceDefinition is established")
                : Outcome(RestoreAction.Refused, $"the API server serves no {identity.Kind} in {identity.ApiVersion}");
        }

        var watched = resource.ToWatched();
        if (identity.Namespace is { } ns && pendingNamespaces.Contains(ns))
        {
            return Outcome(RestoreAction.Create, $"after namespace {ns} is created");
        }

        try
        {
            var live = await client.GetAsync(watched, identity.Namespace, identity.Name, cancellationToken);
            if (Controller(live) is { } owner)
            {
                return Outcome(RestoreAction.Skipped, $"owned by {owner}, which makes it again");
            }

            var (action, changes) = await PlanAsync(recorded, watched, live, request.ForceConflicts, cancellationToken);
            if (action == RestoreAction.Create && !request.Apply)
            {
                Pending(recorded);
            }

            if (request.Apply && action != RestoreAction.Unchanged)
            {
                var applied = await client.ApplyAsync(watched, identity.Namespace, identity.Name, recorded.Desired!, dryRun: false, request.ForceConflicts, cancellationToken);
                if (live is not null && ObjectComparison.Corrections(recorded, live, applied) is { Count: > 0 } corrections)
                {
                    await client.JsonPatchAsync(watched, identity.Namespace, identity.Name, corrections, dryRun: false, cancellationToken);
                }

                if (identity.Kind == "CustomResourceDefinition")
                {
                    appliedCrds.Add(identity.Name);
                }
            }

            return Outcome(action, null, changes);
        }
        catch (ApiServerException exception)
        {
            return Outcome(exception.Code == 409 && exception.Reason == "Conflict" ? RestoreAction.Conflict : RestoreAction.Refused, exception.Message);
        }

        ObjectOutcome Outcome(RestoreAction action, string? message, IReadOnlyList<FieldChange>? changes = null) => new(recorded, action, message, changes ?? []);
    }

    // What the server makes of the commit's object: a dry-run apply, then a dry-run of the corrections apply leaves.
    private async Task<(RestoreAction Action, IReadOnlyList<FieldChange> Changes)> PlanAsync(
        RecordedObject recorded, WatchedResource resource, JsonObject? live, bool force, CancellationToken cancellationToken)
    {
        var identity = recorded.Identity;
        var applied = await client.ApplyAsync(resource, identity.Namespace, identity.Name, recorded.Desired!, dryRun: true, force, cancellationToken);
        if (live is null)
        {
            return (RestoreAction.Create, []);
        }

        var restored = applied;
        if (ObjectComparison.Corrections(recorded, live, applied) is { Count: > 0 } corrections)
        {
            var corrected = await client.JsonPatchAsync(resource, identity.Namespace, identity.Name, corrections, dryRun: true, cancellationToken);
            restored = ObjectComparison.Merge(applied, corrections, corrected);
        }

        var changes = ObjectComparison.Changes(recorded, live, restored);
        return (changes.Count == 0 ? RestoreAction.Unchanged : RestoreAction.Change, changes);
    }

    // In a dry run, what a created namespace or CRD makes possible is not there yet: say so rather than refuse.
    private void Pending(RecordedObject recorded)
    {
        if (recorded.Identity is { Kind: "Namespace", Namespace: null } namespaceIdentity)
        {
            pendingNamespaces.Add(namespaceIdentity.Name);
        }
        else if (recorded.Identity.Kind == "CustomResourceDefinition" && recorded.Desired?["spec"] is JsonObject spec)
        {
            pendingKinds.Add(((string?)spec["group"] ?? "", (string?)spec["names"]?["kind"] ?? ""));
        }
    }

    /// <summary>The controller that owns a live object (<c>Deployment/web</c>): it keeps the object as it wants it, so a restore leaves it alone.</summary>
    internal static string? Controller(JsonObject? live) =>
        (live?["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
            .Where(reference => reference["controller"] is JsonValue flag && flag.TryGetValue<bool>(out var controller) && controller)
            .Select(reference => $"{reference["kind"]}/{reference["name"]}").FirstOrDefault();

    private async Task DiscoverAsync(CancellationToken cancellationToken) =>
        served = (await discovery.DiscoverAsync(cancellationToken)).GroupBy(resource => (resource.ApiVersion, resource.Kind))
            .ToDictionary(group => group.Key, group => group.First());
}
