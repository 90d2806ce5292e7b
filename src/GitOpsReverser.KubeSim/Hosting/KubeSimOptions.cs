namespace GitOpsReverser.KubeSim.Hosting;

/// <summary>How a KubeSim instance is started.</summary>
internal sealed record KubeSimOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Addresses to listen on besides 127.0.0.1, on the same port and in the serving certificate (a test's
    /// private pod network, so processes in their own network namespace reach KubeSim). Default none.
    /// </summary>
    public IReadOnlyList<System.Net.IPAddress> MoreAddresses { get; init; } = [];

    /// <summary>Serve plain HTTP instead of HTTPS; requests without a token then act as the administrator.</summary>
    public bool PlainHttp { get; init; }

    /// <summary>The users file (tokens, groups, deny rules); null for one generated administrator.</summary>
    public string? UsersFile { get; init; }

    /// <summary>How often a watch with allowWatchBookmarks=true gets a BOOKMARK. Default 10 s.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many changes the history keeps for watches and continue tokens. Default 200,000.</summary>
    public int HistoryLimit { get; init; } = 200_000;
}
