using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace GitOpsReverser.Attribution;

/// <summary>
/// What makes a call to the attribution webhook the API server's: an unguessable capability (256 random bits)
/// in the path the registration names (<c>/attribution/&lt;capability&gt;</c>), so that only those who may read
/// ValidatingWebhookConfigurations (cluster administrators, by default RBAC) can learn it. It lives in the
/// Secret <c>gitops-reverser-webhook-capability</c> of the operator's namespace, shared by every replica, and is
/// made anew whenever the webhook's certificate changes (or the Secret is deleted); the one it replaced is still
/// accepted for <see cref="Grace"/>, while the registration and every replica catch up. Never logged.
/// </summary>
internal sealed partial class WebhookCapability(HttpClient http, AttributionOptions options, TimeProvider time, ILogger<WebhookCapability> logger)
{
    public const string SecretName = "gitops-reverser-webhook-capability";

    /// <summary>How long the capability a rotation replaced is still accepted.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(15);

    private volatile State? current;

    /// <summary>The path the registration names; null until <see cref="EnsureAsync"/> ran.</summary>
    public string? Path => current is { } state ? $"/attribution/{state.Capability}" : null;

    private string Namespace => options.Namespace;

    /// <summary>Whether <paramref name="presented"/> (the last part of the request's path) is the capability, or the previous one within its grace.</summary>
    public bool Accepts(string presented)
    {
        if (current is not { } state || presented.Length == 0)
        {
            return false;
        }

        return Same(presented, state.Capability)
            || (state.Previous is { } previous && time.GetUtcNow() - state.RotatedAt < Grace && Same(presented, previous));
    }

    /// <summary>
    /// Reads the capability from its Secret, making it when there is none, and anew when it was made for
    /// another certificate than <paramref name="certificate"/> (the serving certificate's thumbprint).
    /// </summary>
    public async Task EnsureAsync(string certificate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var secret = await OperatorSecret.ReadAsync(http, Namespace, SecretName, cancellationToken);
            var stored = Read(secret);
            if (stored is not null && stored.Certificate == certificate)
            {
                current = stored;
                return;
            }

            // A new capability; the one it replaces stays accepted for the grace period.
            var made = new State(New(), stored?.Capability, time.GetUtcNow(), certificate);
            var data = new JsonObject
            {
                ["capability"] = Base64(made.Capability),
                ["certificate"] = Base64(made.Certificate),
                ["rotated"] = Base64(made.RotatedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            };
            if (made.Previous is { } previous)
            {
                data["previous"] = Base64(previous);
            }

            if (await OperatorSecret.WriteAsync(http, Namespace, SecretName, secret, "Opaque", data, cancellationToken))
            {
                current = made;
                Log.Rotated(logger, Namespace, SecretName, stored is null ? "made" : "rotated");
                return;
            }

            // Another replica wrote it first: read theirs.
        }

        throw new InvalidOperationException($"the Secret {Namespace}/{SecretName} kept changing while the webhook capability was written");
    }

    private static State? Read(JsonObject? secret)
    {
        string? Value(string key) => secret?["data"]?[key] is JsonValue value && value.TryGetValue<string>(out var text)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(text))
            : null;
        if (Value("capability") is not { Length: >= 32 } capability || Value("certificate") is not { } certificate)
        {
            return null;
        }

        var rotated = DateTimeOffset.TryParse(Value("rotated"), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.MinValue;
        return new State(capability, Value("previous"), rotated, certificate);
    }

    // 256 random bits, URL-safe.
    private static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static bool Same(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private sealed record State(string Capability, string? Previous, DateTimeOffset RotatedAt, string Certificate);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "The attribution webhook's capability was {What} in the Secret {Namespace}/{Name}")]
        public static partial void Rotated(ILogger logger, string @namespace, string name, string what);
    }
}
