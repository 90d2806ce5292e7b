using System.ComponentModel.DataAnnotations;
using GitOpsReverser.Attribution;

namespace GitOpsReverser.Control;

/// <summary>How <c>gitops-reverser run</c> runs (configuration section <c>Operator</c>; the command line sets the same keys).</summary>
internal sealed class OperatorOptions : IValidatableObject
{
    public const string Section = "Operator";

    /// <summary>A kubeconfig file; default none: <c>KUBECONFIG</c>, <c>~/.kube/config</c>, or the in-cluster configuration.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context; default its current context.</summary>
    public string? Context { get; set; }

    /// <summary>Where local clones and the fingerprint key live (a PVC in production). Required.</summary>
    [Required(ErrorMessage = "Operator:DataDirectory (--data-dir) is required: the folder for local clones and the fingerprint key")]
    public string? DataDirectory { get; set; }

    /// <summary>
    /// The operator's own namespace: WatchRules here act cluster-wide, others only in their namespace.
    /// Default: <c>POD_NAMESPACE</c>, else the in-cluster service account's namespace, else <c>gitops-reverser-system</c>.
    /// </summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// The address the health and metrics endpoints listen on. Default <c>0.0.0.0</c> (all interfaces, as
    /// probes need); <c>::</c> listens on IPv6 and IPv4.
    /// </summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>The port of <c>/healthz</c>, <c>/livez</c> and <c>/readyz</c>. Default 8081.</summary>
    [Range(1, 65535, ErrorMessage = "Operator:HealthPort (--health-port) must be between 1 and 65535")]
    public int HealthPort { get; set; } = 8081;

    /// <summary>The port of <c>/metrics</c> (Prometheus format); 0 turns it off. Default 8080.</summary>
    [Range(0, 65535, ErrorMessage = "Operator:MetricsPort (--metrics-port) must be between 0 and 65535")]
    public int MetricsPort { get; set; } = 8080;

    /// <summary>Accept GitRepoConfig URLs that are local paths or <c>file://</c> (tests, playgrounds). Default false.</summary>
    public bool AllowLocalRepositories { get; set; }

    /// <summary>
    /// Elect one leader through the Lease <c>gitops-reverser</c> in <see cref="Namespace"/>: only the leader
    /// watches and commits. Default false (one process on a laptop); the Helm chart turns it on.
    /// </summary>
    public bool LeaderElection { get; set; }

    /// <summary>How long a standby waits, after it last saw the Lease change, before it takes over. Default 15 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it stops writing; shorter than the lease duration. Default 10 s.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the Lease is renewed or, by a standby, tried. Default 2 s.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Per repository, how many bytes of changes (their sanitized YAML, roughly) may wait to be committed. Below
    /// it every change is its own commit; past it, changes to one object are folded into one commit that says
    /// how many it stands for. Default 64 MiB.
    /// </summary>
    [Range(64 * 1024, long.MaxValue, ErrorMessage = "Operator:QueueBytes must be at least 65536")]
    public long QueueBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Serve the attribution webhook and register it (the ValidatingWebhookConfiguration
    /// <c>gitops-reverser-attribution</c>, reaching the Service <see cref="WebhookService"/>). Default false.
    /// </summary>
    public bool Attribution { get; set; }

    /// <summary>The HTTPS port of the attribution webhook (<c>/attribution</c>). Default 9443.</summary>
    [Range(1, 65535, ErrorMessage = "Operator:WebhookPort (--webhook-port) must be between 1 and 65535")]
    public int WebhookPort { get; set; } = 9443;

    /// <summary>
    /// Where the API server reaches the webhook from outside a cluster (<c>https://HOST:PORT</c>): registered as
    /// the webhook's <c>url</c>. Setting it turns attribution on. Default none.
    /// </summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The Service in <see cref="Namespace"/> that reaches the webhook inside a cluster. Default <c>gitops-reverser-webhook</c>.</summary>
    public string WebhookService { get; set; } = "gitops-reverser-webhook";

    /// <summary>
    /// A Secret in <see cref="Namespace"/> with <c>tls.crt</c>, <c>tls.key</c> and <c>ca.crt</c> that someone else
    /// keeps (cert-manager): the webhook serves it and registers its CA, and makes no certificate of its own.
    /// Default none: the operator keeps its own in <c>gitops-reverser-webhook-tls</c>.
    /// </summary>
    public string? WebhookCertificateSecret { get; set; }

    /// <summary>True when the attribution webhook is served and registered.</summary>
    public bool AttributionEnabled => Attribution || WebhookUrl is not null;

    /// <summary>What attribution needs of these settings, with the namespace resolved.</summary>
    public AttributionOptions ForAttribution() =>
        new(Namespace ?? DefaultNamespace(), WebhookService, WebhookUrl, WebhookCertificateSecret, LeaderElection);

    /// <summary>
    /// Check, with SubjectAccessReviews, that a tenant's GitRepoConfig (outside <see cref="Namespace"/>) may read what it
    /// makes the operator read: its secretRef, its recipientsRef and every kind its rules capture (see README, Security).
    /// Default true; false trusts every namespace as the operator's own, for single-tenant clusters.
    /// </summary>
    public bool TenantAccessChecks { get; set; } = true;

    /// <summary>The service account a tenant's GitRepoConfig acts as when it names none (<c>spec.serviceAccountName</c>). Default <c>default</c>.</summary>
    [RegularExpression(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        ErrorMessage = "Operator:DefaultServiceAccount (--default-service-account) must be a service account name (lower-case letters, digits, '-' and '.')")]
    public string DefaultServiceAccount { get; set; } = "default";

    /// <summary>
    /// After a gap in which no replica ran (a start), at most this many changes of a repository are committed one per
    /// object, named after the object and its last field manager; more make one <c>[RESYNC]</c> commit. Default 100;
    /// 0 makes every start's changes one <c>[RESYNC]</c>.
    /// </summary>
    [Range(0, 100_000, ErrorMessage = "Operator:ColdStartCommitLimit must be between 0 and 100000")]
    public int ColdStartCommitLimit { get; set; } = 100;

    /// <summary>How often rule and repository status is refreshed and discovery repeated. Default 10 s.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!System.Net.IPAddress.TryParse(ListenAddress, out _))
        {
            yield return new ValidationResult($"Operator:ListenAddress (--listen-address) \"{ListenAddress}\" is not an IP address", [nameof(ListenAddress)]);
        }

        if (HealthPort == MetricsPort)
        {
            yield return new ValidationResult("Operator:HealthPort and Operator:MetricsPort must differ", [nameof(HealthPort)]);
        }

        if (AttributionEnabled && (WebhookPort == HealthPort || WebhookPort == MetricsPort))
        {
            yield return new ValidationResult("Operator:WebhookPort must differ from the health and metrics ports", [nameof(WebhookPort)]);
        }

        if (WebhookUrl is not null && !(Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var url) && url.Scheme == "https" && url.AbsolutePath == "/"))
        {
            yield return new ValidationResult(
                $"Operator:WebhookUrl (--webhook-url) \"{WebhookUrl}\" is not https://HOST[:PORT] (the operator adds /attribution)", [nameof(WebhookUrl)]);
        }

        if (!(RetryPeriod > TimeSpan.Zero && RetryPeriod < RenewDeadline && RenewDeadline < LeaseDuration))
        {
            yield return new ValidationResult(
                "Operator:RetryPeriod, Operator:RenewDeadline and Operator:LeaseDuration must grow in that order (defaults 2 s, 10 s, 15 s)",
                [nameof(LeaseDuration)]);
        }

        if (StatusInterval < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Operator:StatusInterval must be at least 1 s", [nameof(StatusInterval)]);
        }
    }

    /// <summary>The namespace to use when none is configured.</summary>
    public static string DefaultNamespace()
    {
        if (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } pod)
        {
            return pod;
        }

        const string ServiceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
        return File.Exists(ServiceAccountNamespace) ? File.ReadAllText(ServiceAccountNamespace).Trim() : "gitops-reverser-system";
    }
}
