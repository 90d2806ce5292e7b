using System.Collections.Concurrent;
using System.Security.Cryptography;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Security;

/// <summary>
/// Bound ServiceAccount tokens, as the TokenRequest subresource issues them: each names one
/// ServiceAccount (by uid, so a deleted and re-created account's old tokens stop working) and expires.
/// Tokens are opaque random strings, not signed JWTs: clients only pass them on.
/// </summary>
internal sealed class ServiceAccountTokens(ObjectStore store, TimeProvider time)
{
    private const string ServiceAccounts = "serviceaccounts";

    private readonly ConcurrentDictionary<string, Token> tokens = new(StringComparer.Ordinal);

    // Every request with a token checks its account's uid: each stored version is parsed once.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<StoredObject, string> uids = [];

    /// <summary>A new token for the ServiceAccount, valid for <paramref name="lifetime"/>; returns it and when it expires.</summary>
    public (string Token, DateTimeOffset Expires) Issue(string ns, string name, string uid, TimeSpan lifetime)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = time.GetUtcNow().Add(lifetime);
        tokens[token] = new Token(ns, name, uid, expires);
        return (token, expires);
    }

    /// <summary>The ServiceAccount's identity, or null when the token is unknown, expired, or its account is gone.</summary>
    public UserInfo? Authenticate(string bearer)
    {
        if (!tokens.TryGetValue(bearer, out var token))
        {
            return null;
        }

        if (time.GetUtcNow() >= token.Expires)
        {
            tokens.TryRemove(bearer, out _);
            return null;
        }

        var account = store.Get(ServiceAccounts, StoredObject.KeyOf(token.Namespace, token.Name));
        if (account is null || uids.GetValue(account, stored => (string?)stored.ToJsonObject()["metadata"]?["uid"] ?? "") != token.Uid)
        {
            return null;
        }

        return UserInfo.ForServiceAccount(token.Namespace, token.Name, token.Uid);
    }

    private sealed record Token(string Namespace, string Name, string Uid, DateTimeOffset Expires);
}
