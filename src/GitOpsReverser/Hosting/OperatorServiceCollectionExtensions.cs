using GitOpsReverser.Control;
using GitOpsReverser.Git;
using GitOpsReverser.Kube;
using GitOpsReverser.Sanitizing;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Hosting;

internal static class OperatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the operator: options (validated at start), the Kubernetes connection, the sanitizer with
    /// the persisted fingerprint key and the control loop. The HTTP endpoints are <see cref="HttpEndpoints"/>.
    /// </summary>
    public static IServiceCollection AddOperator(this IServiceCollection services)
    {
        services.AddOptions<OperatorOptions>()
            .BindConfiguration(OperatorOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>();
        services.AddSanitizing();
        services.AddOptions<SanitizerOptions>().PostConfigure<IOptions<OperatorOptions>>((sanitizer, operatorOptions) =>
        {
            if (sanitizer.FingerprintKey is null && operatorOptions.Value.DataDirectory is { Length: > 0 } dataDirectory)
            {
                sanitizer.FingerprintKey = FingerprintKeyFile.LoadOrCreate(dataDirectory);
            }
        });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => KubernetesConnection(provider.GetRequiredService<IOptions<OperatorOptions>>().Value));
        services.AddSingleton(provider => KubernetesHttp.Create(provider.GetRequiredService<KubernetesClientConfiguration>()));
        services.AddSingleton(provider => new ApiServerClient(provider.GetRequiredService<HttpClient>()));
        services.AddSingleton<GitMetrics>();
        services.AddSingleton<WatchMetrics>();
        services.AddSingleton<ControlMetrics>();
        services.AddSingleton<IKubernetes>(provider => new Kubernetes(provider.GetRequiredService<KubernetesClientConfiguration>()));
        // The rules' reconciler holds no state: the leader's control loop and a standby's share it.
        services.AddSingleton(provider => new WatchRuleReconciler(
            provider.GetRequiredService<IOptions<OperatorOptions>>().Value.Namespace ?? OperatorOptions.DefaultNamespace(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<WatchRuleReconciler>()));
        services.AddSingleton<Leadership>();
        services.AddHostedService(provider => provider.GetRequiredService<Leadership>());
        return services;
    }

    /// <summary>The kubeconfig file and context when given; else <c>KUBECONFIG</c> or <c>~/.kube/config</c>; else the in-cluster configuration.</summary>
    public static KubernetesClientConfiguration KubernetesConnection(OperatorOptions options)
    {
        if (options.Kubeconfig is null && options.Context is null && KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        try
        {
            // The client library does not read KUBECONFIG; of a list of files, the first that exists is used.
            var fromEnvironment = (Environment.GetEnvironmentVariable("KUBECONFIG") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var file = options.Kubeconfig ?? fromEnvironment.FirstOrDefault(File.Exists) ?? fromEnvironment.FirstOrDefault();
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(file, options.Context);
        }
        catch (Exception exception) when (exception is k8s.Exceptions.KubeConfigException or FileNotFoundException or IOException)
        {
            throw new OptionsValidationException(OperatorOptions.Section, typeof(OperatorOptions),
                [$"cannot read the Kubernetes connection from {(options.Kubeconfig ?? Environment.GetEnvironmentVariable("KUBECONFIG") ?? "the default kubeconfig")}{(options.Context is null ? "" : $" (context {options.Context})")}: {exception.Message}"]);
        }
    }
}
