namespace GitOpsReverser.Attribution;

/// <summary>
/// What attribution needs of the operator's settings: where its Secrets live and how the API server reaches the webhook.
/// </summary>
/// <param name="Namespace">The operator's namespace: the webhook's Secrets and Service are there.</param>
/// <param name="WebhookService">The Service that reaches the webhook inside a cluster.</param>
/// <param name="WebhookUrl">The webhook's https://HOST[:PORT] outside a cluster, or null to use the Service.</param>
/// <param name="WebhookCertificateSecret">A Secret with a certificate someone else keeps, or null to make one.</param>
/// <param name="LeaderElection">Whether replicas elect a leader (the webhook Service then selects the leader's pod).</param>
internal sealed record AttributionOptions(
    string Namespace, string WebhookService, string? WebhookUrl, string? WebhookCertificateSecret, bool LeaderElection);
