using GitOpsReverser.Sanitizing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.UnitTests.Sanitizing;

public sealed class SanitizerOptionsTests
{
    [TestCase("Sanitizer:FingerprintKey", "c2hvcnQ=", "*FingerprintKey must be base64 of at least 16 bytes*")]
    [TestCase("Sanitizer:FingerprintKey", "not base64!", "*FingerprintKey*")]
    [TestCase("Sanitizer:SensitiveKinds:0", "bad kind/x", "*SensitiveKinds entry \"bad kind/x\"*")]
    [TestCase("Sanitizer:SecretPolicy", "Encrypt", "*SecretPolicy cannot be Encrypt*encryption.age.recipients in a GitRepoConfig*")]
    public void AddSanitizing_InvalidSetting_FailsWithAMessageNamingIt(string key, string value, string message)
    {
        using var provider = Build(new() { [key] = value });

        var act = () => provider.GetRequiredService<Sanitizer>();

        act.Should().Throw<OptionsValidationException>().WithMessage(message);
    }

    [Test]
    public void AddSanitizing_Configuration_IsBound()
    {
        using var provider = Build(new()
        {
            ["Sanitizer:SecretPolicy"] = "Redact",
            ["Sanitizer:RemoveDefaults"] = "false",
            ["Sanitizer:FingerprintKey"] = Convert.ToBase64String(new byte[16]),
        });

        var options = provider.GetRequiredService<IOptions<SanitizerOptions>>().Value;

        options.SecretPolicy.Should().Be(SecretPolicy.Redact);
        options.RemoveDefaults.Should().BeFalse();
        provider.GetRequiredService<Sanitizer>().HasEphemeralFingerprintKey.Should().BeFalse();
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSanitizing();
        return services.BuildServiceProvider();
    }
}
