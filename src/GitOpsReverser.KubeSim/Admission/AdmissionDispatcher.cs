using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using GitOpsReverser.KubeSim.Api;
using GitOpsReverser.KubeSim.Storage;

namespace GitOpsReverser.KubeSim.Admission;

/// <summary>
/// Calls the validating webhooks configured by stored ValidatingWebhookConfigurations: every
/// matching webhook receives an AdmissionReview v1 over HTTPS (its caBundle verified) with the
/// caller's userInfo and the old and new object; a denial stops the write; a failed call stops it
/// only under <c>failurePolicy: Fail</c>.
/// </summary>
internal sealed class AdmissionDispatcher(ObjectStore store)
{
    public const string ConfigurationResource = "validatingwebhookconfigurations.admissionregistration.k8s.io";

    public async Task ReviewAsync(
        ResourceType type, string operation, string? subresource, JsonObject? old, JsonObject? updated, WriteContext context,
        CancellationToken cancellationToken)
    {
        if (type.GroupResource == ConfigurationResource)
        {
            // As in a real cluster, webhooks are never called for webhook configurations.
            return;
        }

        var configurations = store.Snapshot(ConfigurationResource, ObjectFilter.All);
        if (configurations.Count == 0)
        {
            return;
        }

        var subject = updated ?? old!;
        foreach (var configuration in configurations)
        {
            foreach (var webhook in configuration.ToJsonObject()["webhooks"] as JsonArray ?? [])
            {
                if (webhook is JsonObject hook && WebhookRules.Matches(hook, type, operation, subresource, subject, old, store))
                {
                    await CallAsync(hook, type, operation, subresource, old, updated, context, store, cancellationToken);
                }
            }
        }
    }

    private static async Task CallAsync(
        JsonObject hook, ResourceType type, string operation, string? subresource, JsonObject? old, JsonObject? updated,
        WriteContext context, ObjectStore store, CancellationToken cancellationToken)
    {
        var name = (string?)hook["name"] ?? "";
        var failurePolicy = (string?)hook["failurePolicy"] ?? "Fail";
        var timeout = TimeSpan.FromSeconds((int?)hook["timeoutSeconds"] ?? 10);
        var url = (string?)hook["clientConfig"]?["url"];
        var subject = updated ?? old!;
        var review = new JsonObject
        {
            ["kind"] = "AdmissionReview",
            ["apiVersion"] = "admission.k8s.io/v1",
            ["request"] = new JsonObject
            {
                ["uid"] = Guid.NewGuid().ToString(),
                ["kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                ["resource"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["resource"] = type.Plural },
                ["subResource"] = subresource,
                ["requestKind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                ["requestResource"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["resource"] = type.Plural },
                ["name"] = (string?)subject["metadata"]?["name"],
                ["namespace"] = (string?)subject["metadata"]?["namespace"],
                ["operation"] = operation,
                ["userInfo"] = new JsonObject
                {
                    ["username"] = context.User.Username,
                    ["uid"] = context.User.Uid,
                    ["groups"] = new JsonArray([.. context.User.Groups.Select(group => (JsonNode?)group)]),
                },
                ["object"] = updated?.DeepClone(),
                ["oldObject"] = old?.DeepClone(),
                ["dryRun"] = context.DryRun,
            },
        };

        JsonObject? response;
        try
        {
            if (!MatchConditions.Hold(hook, context.User.Username))
            {
                return;
            }

            string? serverName = null;
            if (url is null)
            {
                var service = hook["clientConfig"]?["service"] as JsonObject
                    ?? throw new InvalidOperationException("clientConfig has neither url nor service");
                var resolved = WebhookService.Resolve(service, store);
                (url, serverName) = (resolved.Url.ToString(), resolved.ServerName);
            }

            using var client = CreateClient((string?)hook["clientConfig"]?["caBundle"], timeout, serverName);
            using var reply = await client.PostAsJsonAsync(url, review, cancellationToken);
            reply.EnsureSuccessStatusCode();
            var body = await reply.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            response = body?["response"] as JsonObject ?? throw new InvalidOperationException("the webhook answered without a response");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (failurePolicy == "Ignore")
            {
                // As the API server logs it: the request goes on without the webhook.
                Console.Error.WriteLine($"kubesim: failed calling webhook \"{name}\", failing open: {exception.GetBaseException().Message}");
                return;
            }

            throw new ApiException(500, "InternalError",
                $"Internal error occurred: failed calling webhook \"{name}\": failed to call webhook: Post \"{url}\": {exception.Message}");
        }

        if (response["allowed"]?.GetValue<bool>() == true)
        {
            return;
        }

        var result = response["status"] as JsonObject;
        var message = (string?)result?["message"];
        var code = (int?)result?["code"] ?? 403;
        var text = string.IsNullOrEmpty(message)
            ? $"admission webhook \"{name}\" denied the request without explanation"
            : $"admission webhook \"{name}\" denied the request: {message}";
        throw new ApiException(code, (string?)result?["reason"] ?? "Forbidden", text);
    }

    // serverName: the name the certificate must carry when the address is a pod's IP (a Service's webhook).
    private static HttpClient CreateClient(string? caBundle, TimeSpan timeout, string? serverName = null)
    {
        var trusted = new X509Certificate2Collection();
        if (!string.IsNullOrEmpty(caBundle))
        {
            trusted.ImportFromPem(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(caBundle)));
        }

        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || trusted.Count == 0)
            {
                return errors == System.Net.Security.SslPolicyErrors.None;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            // A Service's webhook is called at a pod's address; its certificate must name the Service.
            using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var hostMatches = serverName is null
                ? (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) == 0
                : presented.MatchesHostname(serverName);
            return hostMatches && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
        return new HttpClient(handler) { Timeout = timeout };
    }
}
