namespace GitOpsReverser.Notifications;

/// <summary>Where an endpoint's messages go and in which form.</summary>
internal enum EndpointType
{
    /// <summary>A Slack incoming webhook: <c>{"text": …}</c> in Slack's markup.</summary>
    Slack,

    /// <summary>A Microsoft Teams Workflows webhook: a message with one Adaptive Card.</summary>
    Teams,

    /// <summary>Generic JSON: the repository and its commits with their files and changed fields.</summary>
    Webhook,

    /// <summary>CloudEvents 1.0 over HTTP, a batch in structured mode: one event per commit.</summary>
    CloudEvents,
}

/// <summary>One endpoint of a GitRepoConfig's <c>notifications</c>: its Secret key holding the URL, and which commits it wants.</summary>
/// <param name="Name">The endpoint's name, in metrics and status.</param>
/// <param name="Type">The form of its messages.</param>
/// <param name="SecretName">The Secret of the GitRepoConfig's namespace holding its URL.</param>
/// <param name="SecretKey">The key of that Secret.</param>
/// <param name="Operations">Only files of these operations (<c>CREATE</c>, <c>UPDATE</c>, <c>DELETE</c>); empty: all.</param>
/// <param name="Kinds">Only files of these kinds (<c>Deployment</c>, <c>Certificate.cert-manager.io</c>); empty: all.</param>
internal sealed record EndpointSettings(string Name, EndpointType Type, string SecretName, string SecretKey, IReadOnlyList<string> Operations, IReadOnlyList<string> Kinds)
{
    /// <summary>Whether a file of <paramref name="kindFolder"/> (<c>Deployment</c>, <c>Certificate.cert-manager.io</c>) changed by <paramref name="operation"/> is wanted.</summary>
    public bool Wants(string operation, string kindFolder) =>
        (Operations.Count == 0 || Operations.Contains(operation))
        && (Kinds.Count == 0 || Kinds.Any(kind => Git.Layout.RepositoryLayout.KindFolderNames(kindFolder, kind)));
}

/// <summary>A GitRepoConfig's <c>notifications</c>, checked.</summary>
/// <param name="CommitUrl">A link to a commit with <c>{sha}</c> for its id; null: none.</param>
/// <param name="BatchWindow">How long after a push its commits wait for more, to go in one message.</param>
/// <param name="Timeout">How long one delivery attempt may take.</param>
/// <param name="Endpoints">Where messages go.</param>
internal sealed record NotificationSettings(string? CommitUrl, TimeSpan BatchWindow, TimeSpan Timeout, IReadOnlyList<EndpointSettings> Endpoints)
{
    public static readonly TimeSpan DefaultBatchWindow = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The link to commit <paramref name="id"/>, or null without <see cref="CommitUrl"/>.</summary>
    public string? LinkTo(string id) => CommitUrl?.Replace("{sha}", id, StringComparison.Ordinal);
}
