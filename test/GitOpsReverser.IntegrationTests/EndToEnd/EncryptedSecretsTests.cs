using System.Text;
using GitOpsReverser.IntegrationTests.TestSupport;

namespace GitOpsReverser.IntegrationTests.EndToEnd;

/// <summary>
/// <c>secretPolicy: Encrypt</c> with the operator as users run it: Secrets made with kubectl reach Git as SOPS
/// files that other people's readers open with the right identity; a restart commits nothing for unchanged
/// Secrets; new recipients (one from a ConfigMap) re-encrypt them in one resync; a bad recipient is a Ready
/// condition; and no value of 500 Secrets reaches Git or the log, in plaintext or base64.
/// </summary>
[Category("Integration")]
public sealed class EncryptedSecretsTests
{
    private const string SecretRule = """
        apiVersion: configbutler.ai/v1alpha1
        kind: WatchRule
        metadata: {name: secrets, namespace: gitops-reverser-system}
        spec:
          gitRepoConfigRef: audit
          resources: [{apiVersion: v1, kind: Secret}]
          namespaceSelector: {matchLabels: {capture: "yes"}}
        """;

    [Test]
    public async Task Secrets_AreEncrypted_KeptWhenUnchanged_AndReEncryptedOnceForNewRecipients()
    {
        await using var testbed = await OperatorTestbed.StartAsync();
        var first = await SopsTools.NewIdentityAsync(testbed.Temp.Path);
        var second = await SopsTools.NewIdentityAsync(testbed.Temp.Path);
        await StartEncryptingAsync(testbed, first);

        (await testbed.KubectlAsync("create secret generic db -n shop --from-literal=password=s3cr3t-p4ssw0rd --from-literal=user=app")).ShouldSucceed();

        (await testbed.CommitAsync(2)).Should().Be("[CREATE] Secret/db in ns/shop by manager/kubectl-create");
        var committed = testbed.Show("namespaces/shop/Secret/db.yaml");
        committed.Should().StartWith("# gitops-reverser content: hmac-sha256:").And.Contain("password: ENC[AES256_GCM,");
        var reading = await SopsTools.ReadContentAsync(committed, first);
        reading.Data!.ToJsonString().Should().Be($$"""{"password":"{{B64("s3cr3t-p4ssw0rd")}}","user":"{{B64("app")}}"}""");

        // A restart lists every Secret again and would encrypt each anew: the resync keeps the file.
        await testbed.StopOperatorAsync();
        await testbed.StartOperatorAsync();
        (await testbed.KubectlAsync("create configmap marker -n shop --from-literal=k=v")).ShouldSucceed();
        (await testbed.KubectlAsync("label secret db -n shop tier=gold")).ShouldSucceed();
        (await testbed.CommitAsync(3)).Should().Be("[UPDATE] Secret/db in ns/shop by manager/kubectl-label");
        GitCli.Log(testbed.Remote).Should().HaveCount(3, "the restart's resync committed nothing");

        // A second recipient, from a ConfigMap: one resync re-encrypts the Secret for both, and says why.
        (await testbed.ApplyAsync($$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: sops-recipients, namespace: gitops-reverser-system}
            data:
              recipients.txt: |
                # the platform team's break-glass key
                {{second.Recipient}}
            """)).ShouldSucceed();
        (await testbed.ApplyAsync(testbed.RepoConfig(extra: $$"""
              secretPolicy: Encrypt
              encryption: {age: {recipients: [{{first.Recipient}}], recipientsRef: {name: sops-recipients, key: recipients.txt} } }
            """))).ShouldSucceed();

        (await testbed.CommitAsync(4)).Should().Be("[RESYNC] 1 change");
        var message = GitCli.Run(testbed.Remote, "log", "-1", "--format=%B", "main");
        message.Should().Contain("- [UPDATE] Secret/db in ns/shop by manager/kubectl-label (re-encrypted for the new age recipients)");
        var rekeyed = testbed.Show("namespaces/shop/Secret/db.yaml");
        foreach (var identity in new[] { first, second })
        {
            (await SopsTools.ReadContentAsync(rekeyed, identity)).Data!["password"]!.GetValue<string>().Should().Be(B64("s3cr3t-p4ssw0rd"));
        }

        var history = GitCli.Run(testbed.Remote, "log", "-p", "--all");
        foreach (var value in new[] { "s3cr3t-p4ssw0rd", B64("s3cr3t-p4ssw0rd") })
        {
            history.Should().NotContain(value);
            testbed.Operator!.Output.Should().NotContain(value);
        }
    }

    [Test]
    public async Task ABadRecipient_OrEncryptWithoutOne_IsAReadyCondition_AndNoSecretIsWritten()
    {
        await using var testbed = await OperatorTestbed.StartAsync();
        (await testbed.KubectlAsync("create namespace shop")).ShouldSucceed();
        (await testbed.KubectlAsync("label namespace shop capture=yes")).ShouldSucceed();
        (await testbed.KubectlAsync("create secret generic db -n shop --from-literal=password=s3cr3t-p4ssw0rd")).ShouldSucceed();
        (await testbed.ApplyAsync(testbed.RepoConfig(extra: """
              secretPolicy: Encrypt
              encryption: {age: {recipients: [age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qq]}}
            """))).ShouldSucceed();
        (await testbed.ApplyAsync(SecretRule)).ShouldSucceed();
        await testbed.StartOperatorAsync();

        var condition = await testbed.WaitForReadyAsync("gitrepoconfigs", OperatorTestbed.OperatorNamespace, "audit", "False");
        ((string?)condition["reason"]).Should().Be("InvalidRecipient");
        ((string?)condition["message"]).Should().Contain("encryption.age.recipients[0]").And.Contain("wrong checksum");

        // Encrypt without any recipient: the CRD refuses it; recipientsRef may still hold none, which the operator refuses.
        (await testbed.ApplyAsync(testbed.RepoConfig(extra: "  secretPolicy: Encrypt"))).Error.Should().Contain(
            "spec.secretPolicy: Invalid value: \"object\": secretPolicy Encrypt needs encryption.age.recipients or encryption.age.recipientsRef");
        (await testbed.KubectlAsync($"create configmap recipients -n {OperatorTestbed.OperatorNamespace} --from-literal=keys=#none-yet")).ShouldSucceed();
        (await testbed.ApplyAsync(testbed.RepoConfig(extra: """
              secretPolicy: Encrypt
              encryption: {age: {recipientsRef: {name: recipients, key: keys}}}
            """))).ShouldSucceed();
        condition = await testbed.WaitForReadyAsync("gitrepoconfigs", OperatorTestbed.OperatorNamespace, "audit", "False");
        await WaitForReason(testbed, "EncryptionNotConfigured");
        ((string?)condition["message"]).Should().NotBeNull();

        testbed.Files().Should().NotContain(path => path.Contains("Secret", StringComparison.Ordinal));
        testbed.Operator!.Output.Should().Contain("EncryptionNotConfigured");
    }

    [Test]
    public async Task FiveHundredSecrets_LeakNoValue_ToGitOrTheLog()
    {
        await using var testbed = await OperatorTestbed.StartAsync();
        var identity = await SopsTools.NewIdentityAsync(testbed.Temp.Path);
        await StartEncryptingAsync(testbed, identity);

        var random = new Random(18);
        var values = new List<string>();
        var documents = new StringBuilder();
        for (var i = 0; i < 500; i++)
        {
            var value = $"v{i}-{Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()))}";
            values.Add(value);
            documents.Append($"---\napiVersion: v1\nkind: Secret\nmetadata: {{name: s{i:D3}, namespace: shop}}\nstringData: {{token: {value}}}\n");
        }

        (await testbed.ApplyAsync(documents.ToString())).ShouldSucceed();
        await testbed.CommitsAsync(501);

        var history = GitCli.Run(testbed.Remote, "log", "-p", "--all");
        var log = testbed.Operator!.Output;
        foreach (var value in values)
        {
            history.Should().NotContain(value);
            history.Should().NotContain(B64(value));
            log.Should().NotContain(value);
            log.Should().NotContain(B64(value));
        }

        foreach (var i in new[] { 0, 250, 499 })
        {
            (await SopsTools.ReadContentAsync(testbed.Show($"namespaces/shop/Secret/s{i:D3}.yaml"), identity)).Data!["token"]!.GetValue<string>()
                .Should().Be(B64(values[i]), "the API server turns stringData into base64 data");
        }
    }

    // The namespace shop captured by SecretRule into a repository that encrypts for identity, and the operator running.
    private static async Task StartEncryptingAsync(OperatorTestbed testbed, AgeIdentity identity)
    {
        (await testbed.KubectlAsync("create namespace shop")).ShouldSucceed();
        (await testbed.KubectlAsync("label namespace shop capture=yes")).ShouldSucceed();
        (await testbed.ApplyAsync(testbed.RepoConfig(extra: $$"""
              secretPolicy: Encrypt
              encryption: {age: {recipients: [{{identity.Recipient}}] } }
            """))).ShouldSucceed();
        (await testbed.ApplyAsync(SecretRule)).ShouldSucceed();
        await testbed.StartOperatorAsync();
    }

    private static async Task WaitForReason(OperatorTestbed testbed, string reason)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var condition = await testbed.WaitForReadyAsync("gitrepoconfigs", OperatorTestbed.OperatorNamespace, "audit", "False");
            if ((string?)condition["reason"] == reason)
            {
                return;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"the reason stayed {(string?)condition["reason"]}");
            await Task.Delay(200);
        }
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
