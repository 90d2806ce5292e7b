using GitOpsReverser.Attribution;
using GitOpsReverser.Control;
using GitOpsReverser.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
        AddConfiguration(builder.Configuration, overrides);
        configureServices(builder.Services);
        return builder.Build();
    }

    /// <summary>
    /// The operator's host: console logs, the <c>Operator</c> settings validated at start, every service,
    /// and Kestrel serving the health and metrics endpoints.
    /// </summary>
    public static IHost CreateOperatorHost(IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        AddConfiguration(builder.Configuration, overrides);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        // One line per entry, control characters from requests and objects escaped (EscapingConsoleFormatter).
        builder.Logging.AddConsole(console => console.FormatterName = EscapingConsoleFormatter.FormatterName)
            .AddConsoleFormatter<EscapingConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>(console =>
            {
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
            });
        builder.Logging.SetMinimumLevel(LogLevel.Information);

        // Probes and scrapes arrive every few seconds: Kestrel's per-request lines and a readiness check
        // that fails until the first sync (as designed) would drown the operator's own log.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddOperator();

        // Kestrel's listeners are fixed before the options are validated: an invalid address or port
        // falls back to the defaults here and is reported by the validation at start.
        var settings = builder.Configuration.GetSection(OperatorOptions.Section).Get<OperatorOptions>() ?? new OperatorOptions();
        var listenable = OperatorOptionsValidator.Validate(settings).Count == 0 ? settings : new OperatorOptions();
        if (listenable.AttributionEnabled)
        {
            builder.Services.AddAttribution(provider => provider.GetRequiredService<IOptions<OperatorOptions>>().Value.ForAttribution());
        }

        builder.AddHttpEndpoints(listenable);
        var app = builder.Build();
        app.MapHttpEndpoints(listenable);
        return app;
    }

    private static void AddConfiguration(IConfigurationBuilder configuration, IReadOnlyDictionary<string, string?> overrides) =>
        configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(overrides);
}
