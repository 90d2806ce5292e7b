using GitOpsReverser.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

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
        var builder = CreateBuilder(overrides);
        configureServices(builder.Services);
        return builder.Build();
    }

    /// <summary>The operator's host: console logs, the <c>Operator</c> settings validated at start, every service.</summary>
    public static IHost CreateOperatorHost(IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = CreateBuilder(overrides);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        var settings = builder.Configuration.GetSection(Hosting.OperatorOptions.Section).Get<Hosting.OperatorOptions>() ?? new Hosting.OperatorOptions();
        builder.Services.AddOperator(settings);
        return builder.Build();
    }

    private static HostApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(overrides);
        return builder;
    }
}
