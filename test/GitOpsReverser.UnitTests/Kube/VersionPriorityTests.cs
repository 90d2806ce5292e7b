using GitOpsReverser.Kube;

namespace GitOpsReverser.UnitTests.Kube;

public sealed class VersionPriorityTests
{
    [Test]
    public void Order_IsGaThenBetaThenAlphaByNumber_ThenOtherNamesAlphabetically()
    {
        string[] versions = ["v1alpha1", "v11alpha2", "foo1", "v10beta3", "v1", "v12alpha1", "v2", "foo10", "v1beta2", "v3beta1", "v10", "v1beta1"];

        versions.Order(VersionPriority.Instance).Should().Equal(
            "v10", "v2", "v1", "v10beta3", "v3beta1", "v1beta2", "v1beta1", "v12alpha1", "v11alpha2", "v1alpha1", "foo1", "foo10");
    }
}
