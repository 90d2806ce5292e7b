using GitOpsReverser.Kube;

namespace GitOpsReverser.Restore;

internal sealed partial class Restorer
{
    private static readonly WatchedResource Crds = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);

    // A live object the repository holds now but did not at the commit: kept, or deleted with --prune. Null when it is not live.
    private async Task<ObjectOutcome?> PruneAsync(RecordedObject recorded, RestoreRequest request, CancellationToken cancellationToken)
    {
        var identity = recorded.Identity;
        if (!served.TryGetValue((identity.ApiVersion, identity.Kind), out var resource))
        {
            // An unserved kind has no live object.
            return null;
        }

        try
        {
            var live = await client.GetAsync(resource.ToWatched(), identity.Namespace, identity.Name, cancellationToken);
            if (live is null)
            {
                return null;
            }

            if (Controller(live) is { } owner)
            {
                return new ObjectOutcome(recorded, RestoreAction.Skipped, $"owned by {owner}, which deletes it when it no longer needs it", []);
            }

            if (!request.Prune)
            {
                return new ObjectOutcome(recorded, RestoreAction.Kept, "not in the repository at that commit; --prune deletes it", []);
            }

            await client.DeleteAsync(resource.ToWatched(), identity.Namespace, identity.Name, dryRun: !request.Apply, cancellationToken);
            return new ObjectOutcome(recorded, RestoreAction.Prune, "not in the repository at that commit", []);
        }
        catch (ApiServerException exception)
        {
            return new ObjectOutcome(recorded, RestoreAction.Refused, exception.Message, []);
        }
    }

    // Every CRD applied is established (its names accepted and served) before what uses it is applied.
    private async Task WaitEstablishedAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EstablishTimeout);
        foreach (var name in appliedCrds)
        {
            try
            {
                while (true)
                {
                    var crd = await client.GetAsync(Crds, null, name, timeout.Token);
                    if (crd?["status"]?["conditions"] is System.Text.Json.Nodes.JsonArray conditions
                        && conditions.Any(condition => (string?)condition?["type"] == "Established" && (string?)condition?["status"] == "True"))
                    {
                        break;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Go on: what uses it is refused with the server's own message.
                break;
            }
        }

        appliedCrds.Clear();
    }
}
