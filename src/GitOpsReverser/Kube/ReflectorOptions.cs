namespace GitOpsReverser.Kube;

/// <summary>How a reflector lists, watches and backs off.</summary>
internal sealed record ReflectorOptions
{
    /// <summary>Objects per list page. Default 500.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>How long one list page may take before the attempt counts as a transient failure. Default 60 s.</summary>
    public TimeSpan ListPageTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A watch with no event or bookmark for this long is restarted. Default 3 minutes.</summary>
    public TimeSpan SilenceTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>First retry delay after a failure; doubles up to <see cref="MaxBackoff"/>, with jitter. Default 1 s.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest retry delay. Default 30 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait before trying again after 403 Forbidden. Default 60 s.</summary>
    public TimeSpan ForbiddenRetry { get; init; } = TimeSpan.FromSeconds(60);
}
