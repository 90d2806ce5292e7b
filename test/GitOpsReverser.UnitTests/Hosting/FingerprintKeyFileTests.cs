using GitOpsReverser.Hosting;
using GitOpsReverser.Sanitizing;

namespace GitOpsReverser.UnitTests.Hosting;

public sealed class FingerprintKeyFileTests
{
    [Test]
    public void LoadOrCreate_SecondCall_ReturnsTheSameKey_FromAnOwnerOnlyFile()
    {
        using var temp = new TempDirectory();
        var data = temp.Combine("data");

        var first = FingerprintKeyFile.LoadOrCreate(data);
        var second = FingerprintKeyFile.LoadOrCreate(data);

        second.Should().Be(first);
        SanitizerOptions.DecodeFingerprintKey(first).Should().HaveCount(32);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(data, FingerprintKeyFile.FileName)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
