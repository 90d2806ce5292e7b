using System.CommandLine;
using GitOpsReverser.Control;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Cli;

/// <summary><c>gitops-reverser run</c>: the operator itself, until SIGTERM or Ctrl+C.</summary>
internal static class RunCommand
{
    public const int InvalidSettingsExitCode = 1;

    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)." };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context (default: its current context)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where local clones and the fingerprint key live (required)." };
        var ns = new Option<string?>("--namespace") { Description = "The operator's namespace: WatchRules there act cluster-wide." };
        var healthPort = new Option<int?>("--health-port") { Description = "Port of /healthz, /livez and /readyz (default 8081)." };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Port of /metrics in Prometheus format; 0 turns it off (default 8080)." };
        var listenAddress = new Option<string?>("--listen-address") { Description = "Address of the health and metrics endpoints (default 0.0.0.0)." };
        var allowLocal = new Option<bool>("--allow-local-repositories") { Description = "Accept GitRepoConfig URLs that are local paths (tests, playgrounds)." };
        var leaderElection = new Option<bool>("--leader-election") { Description = "Elect one leader through the Lease gitops-reverser in --namespace; only it watches and commits." };
        var attribution = new Option<bool>("--attribution") { Description = "Serve and register the attribution webhook (who made each change)." };
        var webhookPort = new Option<int?>("--webhook-port") { Description = "The attribution webhook's HTTPS port (default 9443)." };
        var webhookUrl = new Option<string?>("--webhook-url") { Description = "https://HOST:PORT where the API server reaches the webhook from outside a cluster; turns attribution on." };
        var defaultServiceAccount = new Option<string?>("--default-service-account")
        {
            Description = "The service account a tenant's GitRepoConfig acts as when it names none (default: default).",
        };
        var skipTenantChecks = new Option<bool>("--skip-tenant-access-checks")
        {
            Description = "Trust every namespace as the operator's own: no access check for tenants' GitRepoConfigs (single-tenant clusters only).",
        };
        var command = new Command("run", "Run the operator: watch the rules, capture what they select, commit it to Git.")
        {
            kubeconfig, context, dataDir, ns, healthPort, metricsPort, listenAddress, allowLocal, leaderElection, attribution, webhookPort, webhookUrl,
            defaultServiceAccount, skipTenantChecks,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            void Set(string key, object? value)
            {
                if (value is not null)
                {
                    overrides[$"{OperatorOptions.Section}:{key}"] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            Set(nameof(OperatorOptions.Kubeconfig), parseResult.GetValue(kubeconfig));
            Set(nameof(OperatorOptions.Context), parseResult.GetValue(context));
            Set(nameof(OperatorOptions.DataDirectory), parseResult.GetValue(dataDir));
            Set(nameof(OperatorOptions.Namespace), parseResult.GetValue(ns));
            Set(nameof(OperatorOptions.HealthPort), parseResult.GetValue(healthPort));
            Set(nameof(OperatorOptions.MetricsPort), parseResult.GetValue(metricsPort));
            Set(nameof(OperatorOptions.ListenAddress), parseResult.GetValue(listenAddress));
            if (parseResult.GetValue(allowLocal))
            {
                Set(nameof(OperatorOptions.AllowLocalRepositories), true);
            }

            if (parseResult.GetValue(leaderElection))
            {
                Set(nameof(OperatorOptions.LeaderElection), true);
            }

            if (parseResult.GetValue(attribution))
            {
                Set(nameof(OperatorOptions.Attribution), true);
            }

            Set(nameof(OperatorOptions.WebhookPort), parseResult.GetValue(webhookPort));
            Set(nameof(OperatorOptions.WebhookUrl), parseResult.GetValue(webhookUrl));
            Set(nameof(OperatorOptions.DefaultServiceAccount), parseResult.GetValue(defaultServiceAccount));
            if (parseResult.GetValue(skipTenantChecks))
            {
                Set(nameof(OperatorOptions.TenantAccessChecks), false);
            }

            return await RunAsync(overrides, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        IHost host;
        try
        {
            host = OperatorHost.CreateOperatorHost(overrides);
        }
        catch (Exception exception) when (exception is OptionsValidationException or InvalidOperationException or FormatException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return InvalidSettingsExitCode;
        }

        using (host)
        {
            try
            {
                // Settings and the Kubernetes connection are checked before anything starts.
                _ = host.Services.GetRequiredService<IOptions<OperatorOptions>>().Value;
                _ = host.Services.GetRequiredService<IOptions<Sanitizing.SanitizerOptions>>().Value;
                _ = host.Services.GetRequiredService<k8s.KubernetesClientConfiguration>();
                await host.StartAsync(cancellationToken);
            }
            catch (OptionsValidationException exception)
            {
                foreach (var failure in exception.Failures)
                {
                    await Console.Error.WriteLineAsync($"error: {failure}");
                }

                return InvalidSettingsExitCode;
            }
            catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException)
            {
                // Kestrel: "Failed to bind to address http://0.0.0.0:8081: address already in use."
                await Console.Error.WriteLineAsync($"error: cannot listen for health or metrics requests: {exception.Message}");
                return InvalidSettingsExitCode;
            }

            await host.WaitForShutdownAsync(CancellationToken.None);
        }

        return 0;
    }
}
