using Microsoft.Extensions.DependencyInjection;

namespace GitOpsReverser.Sanitizing;

internal static class SanitizingServiceCollectionExtensions
{
    /// <summary>Adds the <see cref="Sanitizer"/> with <see cref="SanitizerOptions"/> bound from the <c>Sanitizer</c> section.</summary>
    public static IServiceCollection AddSanitizing(this IServiceCollection services)
    {
        services.AddOptions<SanitizerOptions>()
            .BindConfiguration(SanitizerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<Sanitizer>();
        return services;
    }
}
