using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GitOpsReverser.Git.Transport;

namespace GitOpsReverser.Specs;

/// <summary>
/// Reads what a GitRepoConfig refers to: its credentials Secret, whose values never leave <see cref="GitCredentials"/>
/// (only a digest is kept to notice rotation), and the ConfigMap or Secret key holding more age recipients.
/// </summary>
internal sealed class SecretReader(HttpClient http)
{
    /// <summary>The credentials and a digest of the Secret's data; throws <see cref="SpecException"/> when the Secret cannot be read.</summary>
    public async Task<(GitCredentials Credentials, string Digest)> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/v1/namespaces/{Uri.EscapeDataString(ns)}/secrets/{Uri.EscapeDataString(name)}", cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                throw new SpecException("SecretNotFound", $"Secret {ns}/{name} named in secretRef does not exist");
            case HttpStatusCode.Forbidden:
                throw new SpecException("SecretForbidden", $"the operator may not read Secret {ns}/{name} (check its RBAC)");
            case var code when !response.IsSuccessStatusCode:
                throw new HttpRequestException($"reading Secret {ns}/{name} failed with {(int)code}", null, code);
        }

        var secret = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (key, value) in (secret?["data"] as JsonObject ?? []).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            try
            {
                data[key] = Convert.FromBase64String((string?)value ?? "");
            }
            catch (FormatException)
            {
                throw new SpecException("InvalidSecret", $"Secret {ns}/{name} has a data value under \"{key}\" that is not base64");
            }

            digest.AppendData(System.Text.Encoding.UTF8.GetBytes(key));
            digest.AppendData(data[key]);
        }

        return (GitCredentials.FromSecretData(data), Convert.ToHexString(digest.GetHashAndReset()));
    }

    /// <summary>The text under <paramref name="key"/> of a ConfigMap or Secret (<paramref name="kind"/>); throws <see cref="SpecException"/> when it cannot be read.</summary>
    public async Task<string> ReadKeyAsync(string kind, string ns, string name, string key, string field, CancellationToken cancellationToken)
    {
        var resource = kind == "Secret" ? "secrets" : "configmaps";
        using var response = await http.GetAsync($"api/v1/namespaces/{Uri.EscapeDataString(ns)}/{resource}/{Uri.EscapeDataString(name)}", cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                throw new SpecException($"{kind}NotFound", $"{kind} {ns}/{name} named in {field} does not exist");
            case HttpStatusCode.Forbidden:
                throw new SpecException($"{kind}Forbidden", $"the operator may not read {kind} {ns}/{name} named in {field} (check its RBAC)");
            case var code when !response.IsSuccessStatusCode:
                throw new HttpRequestException($"reading {kind} {ns}/{name} failed with {(int)code}", null, code);
        }

        var obj = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        if (kind != "Secret")
        {
            return (string?)obj?["data"]?[key] ?? throw new SpecException("KeyNotFound", $"ConfigMap {ns}/{name} named in {field} has no data key \"{key}\"");
        }

        var encoded = (string?)obj?["data"]?[key] ?? throw new SpecException("KeyNotFound", $"Secret {ns}/{name} named in {field} has no data key \"{key}\"");
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            throw new SpecException("InvalidSecret", $"Secret {ns}/{name} has a data value under \"{key}\" that is not base64");
        }
    }
}
