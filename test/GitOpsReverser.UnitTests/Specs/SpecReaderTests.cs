using System.Text.Json.Nodes;
using GitOpsReverser.Sanitizing;
using GitOpsReverser.Specs;

using NoiseCategory = GitOpsReverser.Api.V1Alpha1.NoiseCategory;

namespace GitOpsReverser.UnitTests.Specs;

public sealed class SpecReaderTests
{
    private const string OperatorNamespace = "gitops-reverser-system";

    private static JsonObject Rule(string ns, string spec) =>
        JsonNode.Parse($$"""{"metadata":{"name":"r","namespace":"{{ns}}","generation":3},"spec":{{spec}}}""")!.AsObject();

    [Test]
    public void ReadRule_EveryField_IsRead()
    {
        var rule = SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule(OperatorNamespace, """
            {"gitRepoConfigRef":"audit","resources":[{"apiVersion":"v1","kind":"ConfigMap"},{"apiVersion":"*","kind":"*"}],
             "namespaceSelector":{"matchLabels":{"env":"production"}},"excludeLabels":{"matchLabels":{"skip":"true"}},
             "operations":["CREATE","DELETE"],"secretPolicy":"Redact","excludeFieldManagers":["argocd-controller"],"includeOwned":true}
            """), OperatorNamespace);

        rule.Id.Should().Be(new ResourceKey("WatchRule", OperatorNamespace, "r"));
        rule.Generation.Should().Be(3);
        rule.Repo.Should().Be(new ResourceKey("GitRepoConfig", OperatorNamespace, "audit"));
        rule.Resources.Should().Equal(new RuleResource("v1", "ConfigMap"), new RuleResource("*", "*"));
        rule.OwnNamespace.Should().BeNull("a WatchRule in the operator's namespace acts cluster-wide");
        rule.NamespaceSelector!.ToString().Should().Be("env=production");
        rule.ExcludeLabels.ToString().Should().Be("skip=true");
        rule.Operations.Should().Be(CaptureOperations.Create | CaptureOperations.Delete);
        rule.SecretPolicy.Should().Be(SecretPolicy.Redact);
        rule.ExcludeFieldManagers.Should().BeEquivalentTo(["argocd-controller"]);
        rule.IncludeOwned.Should().BeTrue();
        rule.AllowsClusterScoped.Should().BeFalse("only ClusterWatchRules capture cluster-scoped kinds");
    }

    [Test]
    public void ReadRule_Include_NamesWhatTheClusterMakesToCaptureAnyway_AndRefusesUnknownNames()
    {
        SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule(OperatorNamespace, """{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}]}"""), OperatorNamespace)
            .Include.Should().BeEmpty();
        SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule(OperatorNamespace,
                """{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"include":["helmReleases","serviceAccountTokens"]}"""), OperatorNamespace)
            .Include.Should().BeEquivalentTo([NoiseCategory.HelmReleases, NoiseCategory.ServiceAccountTokens]);

        var read = () => SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule(OperatorNamespace,
            """{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"include":["helm"]}"""), OperatorNamespace);
        read.Should().Throw<SpecException>().Where(exception => exception.Reason == "InvalidSpec")
            .WithMessage("include[0]: \"helm\" is not one of clusterDefaults, bootstrapRbac, flowControlDefaults, helmReleases, serviceAccountTokens");
    }

    [Test]
    public void ReadRule_IgnoreFields_AreRead_UnsetMeansTheGitRepoConfigs_AndAnObjectsIdentityIsRefused()
    {
        var rule = SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule(OperatorNamespace, """
            {"gitRepoConfigRef":"a","resources":[{"apiVersion":"apps/v1","kind":"Deployment"}],
             "ignoreFields":[{"group":"apps","kind":"Deployment","jsonPointers":["/spec/replicas"],"managers":["kube-controller-manager"]},{"kind":"ConfigMap","jsonPointers":["/data/x"]}]}
            """), OperatorNamespace);
        rule.IgnoreFields!.Select(entry => entry.ToString()).Should().Equal("apps/Deployment: /spec/replicas, managers kube-controller-manager", "core/ConfigMap: /data/x");
        SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule(OperatorNamespace, """{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}]}"""), OperatorNamespace)
            .IgnoreFields.Should().BeNull("a rule without ignoreFields takes its GitRepoConfig's");

        var read = () => SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule(OperatorNamespace, """
            {"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"ignoreFields":[{"kind":"Secret","jsonPointers":["/metadata/name"]}]}
            """), OperatorNamespace);
        read.Should().Throw<SpecException>().WithMessage("*ignoreFields[0].jsonPointers: /metadata/name is not a JSON pointer to a field other than apiVersion, kind, metadata.name or metadata.namespace*");
    }

    [Test]
    public void ReadRule_ExcludeUsersAndGroups_AreRead()
    {
        var rule = SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule(OperatorNamespace,
            """{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"excludeUsers":["system:serviceaccount:flux-system:kustomize-controller",""],"excludeGroups":["ops"]}"""),
            OperatorNamespace);

        rule.ExcludeUsers.Should().BeEquivalentTo(["system:serviceaccount:flux-system:kustomize-controller"]);
        rule.ExcludeGroups.Should().BeEquivalentTo(["ops"]);
    }

    [Test]
    public void ReadRule_TenantRule_CapturesItsOwnNamespaceOnly()
    {
        var rule = SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule("team-a", """{"gitRepoConfigRef":"mine","resources":[{"apiVersion":"v1","kind":"Secret"}]}"""), OperatorNamespace);

        rule.OwnNamespace.Should().Be("team-a");
        rule.CoversNamespace("team-a", null).Should().BeTrue();
        rule.CoversNamespace("team-b", null).Should().BeFalse();
        rule.Operations.Should().Be(CaptureOperations.All);
    }

    [Test]
    public void ReadRule_TenantRuleWithNamespaceSelector_IsRefused()
    {
        var read = () => SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule("team-a", """
            {"gitRepoConfigRef":"mine","resources":[{"apiVersion":"v1","kind":"Secret"}],"namespaceSelector":{"matchLabels":{"team":"b"}}}
            """), OperatorNamespace);

        read.Should().Throw<SpecException>().Where(exception => exception.Reason == "NamespaceSelectorNotAllowed")
            .WithMessage("*captures only its own namespace (team-a)*");
    }

    [Test]
    public void ReadRule_ClusterWatchRule_NeedsNameAndNamespaceOfItsRepository()
    {
        var obj = JsonNode.Parse("""{"metadata":{"name":"c"},"spec":{"gitRepoConfigRef":{"name":"audit"},"resources":[{"apiVersion":"v1","kind":"Namespace"}]}}""")!.AsObject();

        var read = () => SpecReader.ReadRule(SpecReader.ClusterWatchRuleKind, obj, OperatorNamespace);

        read.Should().Throw<SpecException>().WithMessage("gitRepoConfigRef needs name and namespace");
    }

    [TestCase("""{"url":"https://x/r.git","commit":{"mode":"Window"}}""", "commit.mode Window needs commit.window*")]
    [TestCase("""{"url":"https://x/r.git","push":{"interval":"often"}}""", "push.interval \"often\" is not a duration*")]
    [TestCase("""{"url":"https://x/r.git","baseFolder":"../escape"}""", "base folder \"../escape\" has a . or .. part*")]
    [TestCase("""{"url":"https://x/r.git","baseFolder":".GIT/hooks"}""", "base folder \".GIT/hooks\" has a part starting with .git*")]
    [TestCase("""{"url":"https://x/r.git","commit":{"messageTemplate":"{nope}"}}""", "commit.messageTemplate: *")]
    [TestCase("""{"url":" "}""", "url is required")]
    [TestCase("""{"url":"https://x/r.git","branch":"a..b"}""", "branch \"a..b\" is not a branch name git accepts: it may not contain \"..\"")]
    [TestCase("""{"url":"https://x/r.git","branch":"feature/.hidden"}""", "branch * is not a branch name git accepts: it has a part that starts with . or ends with .lock")]
    [TestCase("""{"url":"https://x/r.git","branch":"HEAD"}""", "branch * it may not be \"HEAD\"")]
    [TestCase("""{"url":"https://x/r.git","push":{"maxCommits":3000000000}}""", "push.maxCommits must be a whole number from 1 to 10000")]
    [TestCase("""{"url":"https://x/r.git","push":{"maxCommits":0}}""", "push.maxCommits must be a whole number from 1 to 10000")]
    [TestCase("""{"url":"https://x/r.git","push":{"maxCommits":2.5}}""", "push.maxCommits must be a whole number from 1 to 10000")]
    [TestCase("""{"url":"https://x/r.git","push":{"maxCommits":"50"}}""", "push.maxCommits must be a whole number from 1 to 10000")]
    [TestCase("""{"url":42}""", "url must be a string")]
    [TestCase("""{"url":"https://x/r.git","branch":["main"]}""", "branch must be a string")]
    [TestCase("""{"url":"https://x/r.git","secretRef":{"name":7}}""", "secretRef.name must be a string")]
    [TestCase("""{"url":"https://x/r.git","serviceAccountName":"Not_A_Name"}""", "serviceAccountName is not a service account name*")]
    public void ReadRepo_InvalidSpec_SaysWhatIsWrong(string spec, string message)
    {
        var obj = JsonNode.Parse($$"""{"metadata":{"name":"audit","namespace":"ns"},"spec":{{spec}}}""")!.AsObject();

        var read = () => SpecReader.ReadRepo(obj);

        read.Should().Throw<SpecException>().Where(exception => exception.Reason == "InvalidSpec").WithMessage(message);
    }

    [TestCase("""{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"includeOwned":"yes"}""", "includeOwned must be true or false")]
    [TestCase("""{"gitRepoConfigRef":"a","resources":[{"apiVersion":1,"kind":"Secret"}]}""", "resources[0].apiVersion must be a string")]
    [TestCase("""{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"excludeUsers":[{"name":"x"}]}""", "excludeUsers[0] must be a string")]
    [TestCase("""{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"operations":[3]}""", "operations[0] is not one of CREATE, UPDATE, DELETE")]
    [TestCase("""{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"operations":["PATCH"]}""", "operations[0]: \"PATCH\" is not one of CREATE, UPDATE, DELETE")]
    [TestCase("""{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"namespaceSelector":["env"]}""", "namespaceSelector must be an object")]
    [TestCase("""{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"namespaceSelector":{"matchExpressions":[{"key":"team","operator":"Equals","values":["a"]}]}}""",
        "namespaceSelector.matchExpressions[0].operator: \"Equals\" is not one of In, NotIn, Exists, DoesNotExist")]
    [TestCase("""{"gitRepoConfigRef":"a","resources":[{"apiVersion":"v1","kind":"Secret"}],"secretPolicy":"Plain"}""", "secretPolicy: \"Plain\" is not one of Fingerprint, Redact, Skip, Encrypt")]
    public void ReadRule_AValueOfTheWrongType_IsThisRulesInvalidSpec(string spec, string message)
    {
        var read = () => SpecReader.ReadRule(SpecReader.WatchRuleKind, Rule(OperatorNamespace, spec), OperatorNamespace);

        read.Should().Throw<SpecException>().Where(exception => exception.Reason == "InvalidSpec").WithMessage(message);
    }

    [TestCase("https://x-access-token:ghp_s3cret@github.com/org/r.git", "url https://***@github.com/org/r.git carries credentials in its user info*")]
    [TestCase("https://ghp_s3cret@github.com/org/r.git", "url https://***@github.com/org/r.git carries credentials in its user info*")]
    [TestCase("https://user:p@ss@git.example.com/r.git", "url https://***@git.example.com/r.git carries credentials*")]
    [TestCase("https://git.example.com/r.git?access_token=ghp_s3cret", "url https://git.example.com/r.git?*** carries a query string*")]
    [TestCase("ssh://git:s3cret@git.example.com/r.git", "url ssh://git:***@git.example.com/r.git carries a password*")]
    [TestCase("git:s3cret@git.example.com:org/r.git", "url git:***@git.example.com:org/r.git carries a password*")]
    public void ReadRepo_CredentialsInTheUrl_AreRefused_PointingAtSecretRef_WithoutRepeatingThem(string url, string message)
    {
        var obj = JsonNode.Parse($$$"""{"metadata":{"name":"audit","namespace":"ns"},"spec":{"url":"{{{url}}}"}}""")!.AsObject();

        var read = () => SpecReader.ReadRepo(obj);

        read.Should().Throw<SpecException>().Where(exception => exception.Reason == "CredentialsInUrl")
            .WithMessage(message).WithMessage("*belong in the Secret named by secretRef*")
            .Which.Message.Should().NotContain("s3cret").And.NotContain("p@ss");
    }

    [Test]
    public void ReadRepo_ServiceAccountName_IsRead()
    {
        var repo = SpecReader.ReadRepo(JsonNode.Parse("""{"metadata":{"name":"audit","namespace":"ns"},"spec":{"url":"https://x/r.git","serviceAccountName":"gitops-audit"}}""")!.AsObject());

        repo.ServiceAccountName.Should().Be("gitops-audit");
    }

    [Test]
    public void ReadRepo_EveryField_IsRead()
    {
        var repo = SpecReader.ReadRepo(JsonNode.Parse("""
            {"metadata":{"name":"audit","namespace":"ns","generation":2},
             "spec":{"url":"ssh://git@host/r.git","branch":"audit","secretRef":{"name":"creds"},"baseFolder":"clusters/prod",
                     "commit":{"committer":{"name":"Bot","email":"bot@example.com"},"messageTemplate":"{operation} {kind}/{name}","mode":"Window","window":"1m30s"},
                     "push":{"interval":"500ms","maxCommits":7}}}
            """)!.AsObject());

        repo.Should().Be(new RepoSpec(new ResourceKey("GitRepoConfig", "ns", "audit"), 2, "ssh://git@host/r.git", "audit", "creds", "clusters/prod",
            "Bot", "bot@example.com", "{operation} {kind}/{name}", TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500), 7));
    }

    [Test]
    public void ReadRepo_Encryption_IsRead()
    {
        var repo = SpecReader.ReadRepo(JsonNode.Parse("""
            {"metadata":{"name":"audit","namespace":"ns"},
             "spec":{"url":"https://x/r.git","secretPolicy":"Encrypt",
                     "encryption":{"age":{"recipients":["age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw"],
                                          "recipientsRef":{"kind":"Secret","name":"keys","key":"recipients.txt"}}}}}
            """)!.AsObject());

        repo.SecretPolicy.Should().Be(SecretPolicy.Encrypt);
        repo.AgeRecipients.Select(recipient => recipient.Text).Should().Equal("age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw");
        repo.RecipientsRef.Should().Be(new RecipientsReference("Secret", "keys", "recipients.txt"));
    }

    [TestCase("""{"recipients":["age1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw","age1qpzry9x8gf"]}""", "InvalidRecipient",
        "encryption.age.recipients[1] \"age1qpzry9x8gf\" has a wrong checksum*")]
    [TestCase("""{"recipients":["AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"]}""", "InvalidRecipient",
        "encryption.age.recipients[0] is an age identity (a private key)*")]
    [TestCase("""{"recipientsRef":{"kind":"Vault","name":"keys","key":"k"}}""", "InvalidSpec", "encryption.age.recipientsRef.kind: \"Vault\" is not one of ConfigMap, Secret")]
    public void ReadRepo_BadEncryption_NamesTheField(string age, string reason, string message)
    {
        var obj = JsonNode.Parse("""{"metadata":{"name":"audit","namespace":"ns"},"spec":{"url":"https://x/r.git","encryption":{"age":""" + age + "}}}")!.AsObject();

        var read = () => SpecReader.ReadRepo(obj);

        read.Should().Throw<SpecException>().Where(exception => exception.Reason == reason).WithMessage(message)
            .Which.Message.Should().NotContain("QQQQ", "a private key pasted by mistake is never repeated");
    }

    [Test]
    public void RecipientLines_SkipCommentsAndBlanks_AndABadLineIsNamedByNumberOnly()
    {
        SpecReader.ParseRecipientLines("# team keys\n\nage1ru2gk8cpdp2mdmv3ezme7men0hc77q5uh26ajjhef624jtv29g6qtkm8qw\n", "ref").Should().ContainSingle();

        var read = () => SpecReader.ParseRecipientLines("# created: today\nAGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQ\n", "encryption.age.recipientsRef (Secret ns/keys key k)");

        read.Should().Throw<SpecException>().WithMessage("encryption.age.recipientsRef (Secret ns/keys key k), line 2: the entry is an age identity (a private key)*")
            .Which.Message.Should().NotContain("QQQQ");
    }

    [TestCase("500ms", 500)]
    [TestCase("10s", 10_000)]
    [TestCase("1m30s", 90_000)]
    [TestCase("2h", 7_200_000)]
    [TestCase("1.5s", 1_500)]
    public void Duration_GoFormat_IsRead(string text, int milliseconds)
    {
        Duration.TryParse(text, out var duration).Should().BeTrue();
        duration.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [TestCase("")]
    [TestCase("10")]
    [TestCase("10 s")]
    [TestCase("soon")]
    [TestCase("5s later")]
    public void Duration_Other_IsRefused(string text) => Duration.TryParse(text, out _).Should().BeFalse();
}
