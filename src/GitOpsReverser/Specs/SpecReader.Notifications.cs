using GitOpsReverser.Api.V1Alpha1;
using GitOpsReverser.Notifications;

namespace GitOpsReverser.Specs;

internal static partial class SpecReader
{
    private static readonly TimeSpan MinBatchWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBatchWindow = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(1);

    // notifications, checked as the CRD does (for objects an older CRD let through) and past what it can say.
    private static NotificationSettings? Notifications(NotificationsSpec? spec)
    {
        if (spec is null)
        {
            return null;
        }

        var commitUrl = spec.CommitUrl?.Trim();
        if (commitUrl is not null && (!commitUrl.Contains("{sha}", StringComparison.Ordinal)
            || !Uri.TryCreate(commitUrl.Replace("{sha}", "0", StringComparison.Ordinal), UriKind.Absolute, out var link) || link.Scheme is not ("http" or "https")))
        {
            throw Invalid("notifications.commitUrl must be an http(s) URL holding {sha}, where each commit's id goes");
        }

        var window = DurationOf(spec.BatchWindow, "notifications.batchWindow") ?? NotificationSettings.DefaultBatchWindow;
        if (window < MinBatchWindow || window > MaxBatchWindow)
        {
            throw Invalid("notifications.batchWindow must be from 1s to 10m");
        }

        var timeout = DurationOf(spec.Timeout, "notifications.timeout") ?? NotificationSettings.DefaultTimeout;
        if (timeout < MinTimeout || timeout > MaxTimeout)
        {
            throw Invalid("notifications.timeout must be from 1s to 1m");
        }

        var endpoints = new List<EndpointSettings>();
        foreach (var (endpoint, i) in (spec.Endpoints ?? []).Select((endpoint, i) => (endpoint, i)))
        {
            var field = $"notifications.endpoints[{i}]";
            if (endpoint.Name is not { Length: > 0 } name || !System.Text.RegularExpressions.Regex.IsMatch(name, NamePatterns.Label) || name.Length > 63)
            {
                throw Invalid($"{field}.name must be a DNS label (lower-case letters, digits and '-', at most 63 characters)");
            }

            if (endpoints.Any(other => other.Name == name))
            {
                throw Invalid($"{field}.name \"{name}\" is used twice: endpoints must have different names");
            }

            var type = endpoint.Type ?? throw Invalid($"{field}.type is required: Slack, Teams, Webhook or CloudEvents");
            var secret = endpoint.SecretRef?.Name is { Length: > 0 } secretName ? secretName : throw Invalid($"{field}.secretRef.name is required: the Secret holding the endpoint's URL");
            endpoints.Add(new EndpointSettings(name, (EndpointType)(int)type, secret, endpoint.SecretRef.Key is { Length: > 0 } key ? key : "url",
                [.. (endpoint.Operations ?? []).Select(operation => operation.ToString().ToUpperInvariant())],
                [.. (endpoint.Kinds ?? []).Select(kind => kind.Trim()).Where(kind => kind.Length > 0)]));
        }

        return endpoints.Count == 0 ? throw Invalid("notifications.endpoints needs at least one endpoint") : new NotificationSettings(commitUrl, window, timeout, endpoints);
    }
}
