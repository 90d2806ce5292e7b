using System.Security.Cryptography;

namespace GitOpsReverser.KubeSim.Security;

/// <summary>
/// Bearer-token authentication: the users file's tokens (without one, one administrator with a
/// generated token) and ServiceAccount tokens from the TokenRequest subresource; and the users file's
/// deny rules, which authorize its users. ServiceAccounts are authorized by RBAC.
/// </summary>
internal sealed class Authenticator
{
    private readonly Dictionary<string, UserInfo> byToken = new(StringComparer.Ordinal);
    private readonly List<UsersFile.DenyRule> deny;

    public Authenticator(UsersFile? file, ServiceAccountTokens serviceAccountTokens)
    {
        ServiceAccountTokens = serviceAccountTokens;
        foreach (var entry in file?.Users ?? [])
        {
            if (string.IsNullOrEmpty(entry.Token) || string.IsNullOrEmpty(entry.Name))
            {
                throw new InvalidOperationException("every user in the users file needs a name and a token");
            }

            byToken[entry.Token] = new UserInfo(entry.Name, [.. entry.Groups, "system:authenticated"], Guid.NewGuid().ToString());
        }

        if (byToken.Count == 0)
        {
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            byToken[token] = new UserInfo("kubesim-admin", ["system:masters", "system:authenticated"], Guid.NewGuid().ToString());
        }

        DefaultToken = (file?.Users.FirstOrDefault()?.Token) ?? byToken.Keys.First();
        deny = file?.Deny ?? [];
    }

    public ServiceAccountTokens ServiceAccountTokens { get; }

    /// <summary>The token written into the kubeconfig: the users file's first user, or the generated administrator.</summary>
    public string DefaultToken { get; }

    /// <summary>Adds a user at run time (tests): returns its token.</summary>
    public string AddUser(string name, params string[] groups)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        lock (byToken)
        {
            byToken[token] = new UserInfo(name, [.. groups, "system:authenticated"], Guid.NewGuid().ToString());
        }

        return token;
    }

    public UserInfo? Authenticate(string? authorizationHeader)
    {
        const string prefix = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorizationHeader[prefix.Length..].Trim();
        lock (byToken)
        {
            if (byToken.TryGetValue(token, out var user))
            {
                return user;
            }
        }

        return ServiceAccountTokens.Authenticate(token);
    }

    /// <summary>True when a deny rule matches this user, verb, resource and namespace.</summary>
    public bool IsDenied(UserInfo user, string verb, string resource, string? ns) =>
        deny.Any(rule =>
            (rule.Users.Contains(user.Username) || rule.Groups.Any(user.Groups.Contains))
            && (rule.Verbs.Contains("*") || rule.Verbs.Contains(verb))
            && (rule.Resources.Contains("*") || rule.Resources.Contains(resource))
            && (rule.Namespaces.Count == 0 || (ns is not null && rule.Namespaces.Contains(ns))));
}
