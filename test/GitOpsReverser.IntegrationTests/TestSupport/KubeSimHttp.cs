using GitOpsReverser.Kube;
using GitOpsReverser.KubeSim.Hosting;
using k8s;

namespace GitOpsReverser.IntegrationTests.TestSupport;

/// <summary>The operator's own HTTP client for a KubeSim, made from a kubeconfig as <c>run</c> makes it (for the user of a token, else the first).</summary>
internal static class KubeSimHttp
{
    public static HttpClient For(KubeSimServer sim, string? token = null)
    {
        var kubeconfig = Path.GetTempFileName();
        try
        {
            File.WriteAllText(kubeconfig, token is null ? sim.Kubeconfig() : sim.Kubeconfig(token));
            return KubernetesHttp.Create(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
