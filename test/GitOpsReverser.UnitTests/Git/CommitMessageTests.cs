using GitOpsReverser.Git;
using GitOpsReverser.Git.Messages;
using GitOpsReverser.Manifests;

namespace GitOpsReverser.UnitTests.Git;

public sealed class CommitMessageTests
{
    private static readonly DateTimeOffset Timestamp = new(2025, 1, 31, 18, 30, 0, TimeSpan.Zero);

    [Test]
    public void Default_NamespacedObjectWithUser_IsTheSeedFormat()
    {
        var change = new ChangeDescription(ChangeOperation.Create, new ObjectIdentity("v1", "ConfigMap", "production", "app-config"), "kubectl-create", Timestamp, "12345")
        {
            User = "admin@company.com",
        };

        CommitMessage.Default(change).Should().Be("""
            [CREATE] ConfigMap/app-config in ns/production by user/admin@company.com

            - Resource: ConfigMap/app-config
            - Namespace: production
            - Operation: CREATE
            - User: admin@company.com
            - Timestamp: 2025-01-31T18:30:00Z
            - Resource Version: 12345

            """);
    }

    [Test]
    public void Default_UserWithGroups_AddsTheGroupsLine()
    {
        var change = new ChangeDescription(ChangeOperation.Update, new ObjectIdentity("v1", "ConfigMap", "flux-system", "c"), "kustomize-controller", Timestamp, "7")
        {
            User = "system:serviceaccount:flux-system:kustomize-controller",
            Groups = ["system:serviceaccounts", "system:serviceaccounts:flux-system", "system:authenticated"],
        };

        var lines = CommitMessage.Default(change).Split('\n');

        lines[0].Should().Be("[UPDATE] ConfigMap/c in ns/flux-system by user/system:serviceaccount:flux-system:kustomize-controller");
        lines.Should().Contain("- User: system:serviceaccount:flux-system:kustomize-controller")
            .And.Contain("- Groups: system:serviceaccounts, system:serviceaccounts:flux-system, system:authenticated");
    }

    [Test]
    public void Default_WithoutAUser_NamesTheFieldManagerAsAManager_NeverAsAUser()
    {
        var change = new ChangeDescription(ChangeOperation.Update, new ObjectIdentity("v1", "ConfigMap", "production", "app-config"), "kubectl-edit", Timestamp, "9");

        CommitMessage.Default(change).Should().Be("""
            [UPDATE] ConfigMap/app-config in ns/production by manager/kubectl-edit

            - Resource: ConfigMap/app-config
            - Namespace: production
            - Operation: UPDATE
            - User: unknown
            - Timestamp: 2025-01-31T18:30:00Z
            - Resource Version: 9

            """);
    }

    [Test]
    public void Default_ClusterScopedDeleteByUnknownUser_LeavesOutWhatIsNotKnown()
    {
        var change = new ChangeDescription(ChangeOperation.Delete, new ObjectIdentity("rbac.authorization.k8s.io/v1", "ClusterRole", null, "viewer"), null, Timestamp.ToOffset(TimeSpan.FromHours(2)), null);

        CommitMessage.Default(change).Should().Be("""
            [DELETE] ClusterRole/viewer

            - Resource: ClusterRole/viewer
            - Operation: DELETE
            - User: unknown
            - Timestamp: 2025-01-31T18:30:00Z

            """);
    }

    [Test]
    public void Default_UserWithLineBreaks_CannotForgeLines()
    {
        var change = new ChangeDescription(ChangeOperation.Update, new ObjectIdentity("v1", "ConfigMap", "d", "c"), "tool\n- User: admin", Timestamp, "1")
        {
            User = "eve\n- User: admin",
            Groups = ["g\n- User: root"],
        };
        var unattributed = change with { User = null };

        CommitMessage.Default(change).Split('\n')[0].Should().Be("[UPDATE] ConfigMap/c in ns/d by user/eve - User: admin");
        CommitMessage.Default(change).Split('\n').Should().Contain("- Groups: g - User: root");
        CommitMessage.Default(unattributed).Split('\n')[0].Should().Be("[UPDATE] ConfigMap/c in ns/d by manager/tool - User: admin");
    }

    [Test]
    public void Template_Placeholders_AreFilledIn()
    {
        var template = CommitMessageTemplate.Parse("{operation} {apiVersion} {kind}/{name} in {namespace} by {user} at {timestamp} (rv {resourceVersion}) {{literal}}");
        var change = new ChangeDescription(ChangeOperation.Update, new ObjectIdentity("apps/v1", "Deployment", "shop", "web"), null, Timestamp, "42");

        template.Render(change).Should().Be("UPDATE apps/v1 Deployment/web in shop by unknown at 2025-01-31T18:30:00Z (rv 42) {literal}\n");
    }

    [Test]
    public void Template_UserFallsBackToTheManager_ManagerAndGroupsHaveTheirOwnPlaceholders()
    {
        var template = CommitMessageTemplate.Parse("{user}|{manager}|{groups}");
        var change = new ChangeDescription(ChangeOperation.Update, new ObjectIdentity("v1", "ConfigMap", "d", "c"), "kubectl-edit", Timestamp, "1");

        template.Render(change).Should().Be("kubectl-edit|kubectl-edit|\n");
        template.Render(change with { User = "alice", Groups = ["dev", "ops"] }).Should().Be("alice|kubectl-edit|dev, ops\n");
    }

    [TestCase("", "*empty*")]
    [TestCase("\nbody", "*first line*")]
    [TestCase("{kind} by {author}", "unknown placeholder {author}*known: {operation}*")]
    [TestCase("{kind", "unclosed '{' at position 1*")]
    [TestCase("kind}", "unexpected '}' at position 5*")]
    public void Template_Invalid_IsRefusedWithTheReason(string template, string message)
    {
        var act = () => CommitMessageTemplate.Parse(template);

        act.Should().Throw<FormatException>().WithMessage(message);
    }
}
