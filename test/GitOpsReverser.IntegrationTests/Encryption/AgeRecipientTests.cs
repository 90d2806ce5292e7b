using GitOpsReverser.Encryption;

namespace GitOpsReverser.IntegrationTests.Encryption;

/// <summary>Reading age public keys as <c>age-keygen</c> prints them, and saying exactly what is wrong with anything else.</summary>
public sealed class AgeRecipientTests
{
    // Printed by age-keygen 1.1.1; public keys, safe to keep in a test.
    private const string Recipient = "age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw";

    [Test]
    public void APublicKey_IsRead_WithItsThirtyTwoBytes()
    {
        var recipient = AgeRecipient.Parse($"  {Recipient}\n");

        recipient.Text.Should().Be(Recipient);
        recipient.PublicKey.Should().HaveCount(32);
        AgeRecipient.Parse(Recipient.ToUpperInvariant()).Should().Be(recipient, "Bech32 allows one case throughout");
    }

    [TestCase("age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qq", "wrong checksum")]
    [TestCase("age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8", "wrong checksum")]
    [TestCase("age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qW", "mixes upper and lower case")]
    [TestCase("age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkmbqw", "not a Bech32 character")]
    [TestCase("AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ", "is an age identity (a private key)")]
    [TestCase("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHQ9 someone@example.com", "is an SSH key")]
    [TestCase("npub1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw", "does not start with age1")]
    [TestCase("", "does not start with age1")]
    public void AnythingElse_IsRefused_SayingWhy(string text, string reason)
    {
        AgeRecipient.TryParse(text, out _, out var error).Should().BeFalse();

        error.Should().Contain(reason);
        error.Should().NotContain("QQQQ", "a private key is never repeated");
    }

    [Test]
    [Category("Integration")]
    public async Task EveryKeyAgeKeygenMakes_IsRead()
    {
        using var temp = new TempDirectory();
        for (var i = 0; i < 5; i++)
        {
            var identity = await SopsTools.NewIdentityAsync(temp.Path);

            AgeRecipient.Parse(identity.Recipient).Text.Should().Be(identity.Recipient);
        }
    }
}
