using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace GitOpsReverser.KubeSim.Security;

/// <summary>
/// The <c>--users</c> file: bearer tokens with their user names and groups, and deny rules.
/// <code>
/// users:
///   - name: alice
///     token: alice-token
///     groups: [developers]
/// deny:
///   - users: [alice]          # or groups: [...]
///     verbs: [delete]         # get list watch create update patch delete deletecollection, or *
///     resources: [secrets]    # plural resource names, or *
///     namespaces: [prod]      # optional; empty means everywhere
/// </code>
/// </summary>
internal sealed class UsersFile
{
    public List<UserEntry> Users { get; set; } = [];

    public List<DenyRule> Deny { get; set; } = [];

    public static UsersFile Load(string path)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        return deserializer.Deserialize<UsersFile?>(File.ReadAllText(path)) ?? new UsersFile();
    }

    internal sealed class UserEntry
    {
        public string Name { get; set; } = "";

        public string Token { get; set; } = "";

        public List<string> Groups { get; set; } = [];
    }

    internal sealed class DenyRule
    {
        public List<string> Users { get; set; } = [];

        public List<string> Groups { get; set; } = [];

        public List<string> Verbs { get; set; } = [];

        public List<string> Resources { get; set; } = [];

        public List<string> Namespaces { get; set; } = [];
    }
}
