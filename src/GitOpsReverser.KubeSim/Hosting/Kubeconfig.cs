using System.Text;

namespace GitOpsReverser.KubeSim.Hosting;

/// <summary>Writes the kubeconfig clients use: one cluster (with the CA inline), one user with a bearer token, one context.</summary>
internal static class Kubeconfig
{
    public const string ContextName = "kubesim";

    public static string Render(Uri server, string? caPem, string token)
    {
        var text = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine("- name: kubesim")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {server.GetLeftPart(UriPartial.Authority)}");
        if (caPem is not null)
        {
            text.AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem))}");
        }

        return text
            .AppendLine("users:")
            .AppendLine("- name: kubesim")
            .AppendLine("  user:")
            .AppendLine($"    token: {token}")
            .AppendLine("contexts:")
            .AppendLine($"- name: {ContextName}")
            .AppendLine("  context:")
            .AppendLine("    cluster: kubesim")
            .AppendLine("    user: kubesim")
            .AppendLine("    namespace: default")
            .AppendLine($"current-context: {ContextName}")
            .ToString();
    }
}
