using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GitOpsReverser.Capture;
using GitOpsReverser.Git.Pipeline;
using GitOpsReverser.Notifications;
using GitOpsReverser.Specs;

namespace GitOpsReverser.Control;

internal sealed partial class GitRepoConfigReconciler
{
    private readonly Dictionary<ResourceKey, Notifier> notifiers = [];

    private Notifier? NotifierOf(ResourceKey key)
    {
        lock (notifiers)
        {
            return notifiers.GetValueOrDefault(key);
        }
    }

    // A GitRepoConfig's notifications, made anew only when they or an endpoint's URL changed. An endpoint whose Secret
    // cannot be read says why in the status; the capture and the other endpoints go on.
    private async Task ReconcileNotifierAsync(RepoSpec spec, RepoCapture capture, CancellationToken cancellationToken)
    {
        if (standby || spec.Notifications is not { } settings || capture.Worker is not RepoWorker worker)
        {
            await RemoveNotifierAsync(spec.Id);
            return;
        }

        var endpoints = new List<(EndpointSettings Endpoint, Uri? Url, string? Problem)>();
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (endpoint, i) in settings.Endpoints.Select((endpoint, i) => (endpoint, i)))
        {
            var field = $"notifications.endpoints[{i}].secretRef";
            try
            {
                await access.RequireGetAsync(spec, "secrets", endpoint.SecretName, field, cancellationToken);
                var text = (await secrets.ReadKeyAsync("Secret", spec.Id.Namespace!, endpoint.SecretName, endpoint.SecretKey, field, cancellationToken)).Trim();
                digest.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
                endpoints.Add(Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                    ? (endpoint, url, null)
                    : (endpoint, null, $"Secret {spec.Id.Namespace}/{endpoint.SecretName} key \"{endpoint.SecretKey}\" does not hold an http(s) URL"));
            }
            catch (SpecException exception)
            {
                endpoints.Add((endpoint, null, exception.Message));
            }
        }

        var fingerprint = $"{JsonSerializer.Serialize(settings)}|{Convert.ToHexString(digest.GetHashAndReset())}|{string.Join(',', endpoints.Select(e => e.Problem))}|{worker.ClonePath}|{spec.Branch}";
        if (NotifierOf(spec.Id)?.Fingerprint == fingerprint)
        {
            return;
        }

        await RemoveNotifierAsync(spec.Id);
        var notifier = new Notifier($"{spec.Id.Namespace}/{spec.Id.Name}", worker.ClonePath, spec.Branch, settings, endpoints, fingerprint, metrics, time, logger);
        lock (notifiers)
        {
            notifiers[spec.Id] = notifier;
        }
    }

    private async Task RemoveNotifierAsync(ResourceKey key)
    {
        Notifier? notifier;
        lock (notifiers)
        {
            if (!notifiers.Remove(key, out notifier))
            {
                return;
            }
        }

        await notifier.DisposeAsync();
    }
}
