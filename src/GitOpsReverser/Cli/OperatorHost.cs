using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GitOpsReverser.Cli;

/// <summary>
/// Builds the generic host every command runs in. Settings come, last one winning, from
/// <c>appsettings.json</c> beside the binary or in the working directory, environment variables prefixed
/// <c>GITOPS_REVERSER_</c> (<c>GITOPS_REVERSER_Sanitizer__SecretPolicy=Redact</c>), and the command line.
/// </summary>
internal static class OperatorHost
{
    public const string EnvironmentPrefix = "GITOPS_REVERSER_";

    /// <summary>A host for a one-shot command: configuration and services, no logging to the console.</summary>
    public static IHost CreateCommandHost(Action<IServiceCollection> configureServices, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(overrides);
        configureServices(builder.Services);
        return builder.Build();
    }
}
