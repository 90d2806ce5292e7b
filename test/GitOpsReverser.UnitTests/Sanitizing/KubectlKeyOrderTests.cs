using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.UnitTests.Sanitizing;

public sealed class KubectlKeyOrderTests
{
    [Test]
    public void Compare_Keys_SortAsKubectlPrintsThem()
    {
        string[] keys = ["item10", "ab", "Zed", "item2", "a-b", "_x", "app", "app.kubernetes.io/name", "a", "b1", "b01"];

        keys.Order(KubectlKeyOrder.Instance).Should().Equal("_x", "Zed", "a", "a-b", "ab", "app", "app.kubernetes.io/name", "b1", "b01", "item2", "item10");
    }
}
