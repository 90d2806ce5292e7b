using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace GitOpsReverser.Kube;

/// <summary>One question to RBAC: may the service account <see cref="Namespace"/>/<see cref="ServiceAccount"/> do <see cref="Verb"/>?</summary>
/// <param name="Namespace">The service account's namespace.</param>
/// <param name="ServiceAccount">The service account's name.</param>
/// <param name="Verb"><c>get</c>, <c>list</c>, <c>watch</c>.</param>
/// <param name="Group">The resource's API group (empty: the core group).</param>
/// <param name="Resource">The resource's plural name.</param>
/// <param name="TargetNamespace">Where; null asks about every namespace (or a cluster-scoped resource).</param>
/// <param name="Name">The object's name, for a verb on one object (get); null for list and watch.</param>
internal readonly record struct AccessRequest(
    string Namespace, string ServiceAccount, string Verb, string Group, string Resource, string? TargetNamespace, string? Name)
{
    /// <summary>The request as a person reads it: <c>list configmaps in namespace team-a</c>.</summary>
    public override string ToString() =>
        $"{Verb} {Resource}{(Group.Length > 0 ? "." + Group : "")}{(Name is null ? "" : $" \"{Name}\"")}" +
        (TargetNamespace is null ? " in every namespace" : $" in namespace {TargetNamespace}");
}

/// <summary>RBAC's answer, and the authorizer's reason when it gave one.</summary>
internal sealed record AccessDecision(bool Allowed, string Reason);

/// <summary>Answers <see cref="AccessRequest"/>s: the API server (<see cref="AccessReviews"/>), or a test's RBAC.</summary>
internal interface IAccessReview
{
    Task<AccessDecision> ReviewAsync(AccessRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Asks the API server whether a service account may do something (a SubjectAccessReview for
/// <c>system:serviceaccount:NS:NAME</c> with the groups every service account token carries), the way an
/// operator acting for a tenant checks before it reads anything on the tenant's behalf. Answers are kept
/// until <see cref="Forget"/> (RBAC changed) or for <see cref="MaxAge"/>; when the API server cannot be asked,
/// the last answer stands, and without one the failure is thrown. An operator that may not create
/// SubjectAccessReviews gets a denial that says so: the check fails closed.
/// </summary>
internal sealed class AccessReviews(HttpClient http, TimeProvider time) : IAccessReview
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>Answers kept at most; past it, those older than <see cref="MaxAge"/> go, and then all (tenants choose what is asked).</summary>
    public const int MaxAnswers = 4096;

    private readonly Dictionary<AccessRequest, (AccessDecision Decision, DateTimeOffset At, long Generation)> answers = [];
    private readonly Lock gate = new();
    private long generation;

    /// <summary>Reviews made so far (answers kept are not counted): for tests and metrics.</summary>
    public long Requests => Interlocked.Read(ref requests);

    private long requests;

    /// <summary>RBAC changed: every answer is asked again the next time it is needed.</summary>
    public void Forget() => Interlocked.Increment(ref generation);

    public async Task<AccessDecision> ReviewAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        (AccessDecision Decision, DateTimeOffset At, long Generation) known;
        bool have;
        lock (gate)
        {
            have = answers.TryGetValue(request, out known);
        }

        if (have && known.Generation == Interlocked.Read(ref generation) && now - known.At < MaxAge)
        {
            return known.Decision;
        }

        var asked = Interlocked.Read(ref generation);
        AccessDecision decision;
        try
        {
            decision = await AskAsync(request, cancellationToken);
        }
        catch (HttpRequestException) when (have)
        {
            return known.Decision;
        }

        lock (gate)
        {
            if (answers.Count >= MaxAnswers)
            {
                foreach (var stale in answers.Where(pair => now - pair.Value.At >= MaxAge).Select(pair => pair.Key).ToList())
                {
                    answers.Remove(stale);
                }

                if (answers.Count >= MaxAnswers)
                {
                    answers.Clear();
                }
            }

            answers[request] = (decision, now, asked);
        }

        return decision;
    }

    private async Task<AccessDecision> AskAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref requests);
        var attributes = new JsonObject
        {
            ["verb"] = request.Verb,
            ["group"] = request.Group,
            ["resource"] = request.Resource,
        };
        if (request.TargetNamespace is not null)
        {
            attributes["namespace"] = request.TargetNamespace;
        }

        if (request.Name is not null)
        {
            attributes["name"] = request.Name;
        }

        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SubjectAccessReview",
            ["spec"] = new JsonObject
            {
                ["user"] = $"system:serviceaccount:{request.Namespace}:{request.ServiceAccount}",
                ["groups"] = new JsonArray("system:serviceaccounts", $"system:serviceaccounts:{request.Namespace}", "system:authenticated"),
                ["resourceAttributes"] = attributes,
            },
        };
        using var response = await http.PostAsJsonAsync("apis/authorization.k8s.io/v1/subjectaccessreviews", review, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            return new AccessDecision(false,
                "the operator may not create SubjectAccessReviews to check it (grant create on subjectaccessreviews.authorization.k8s.io in its ClusterRole)");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"a SubjectAccessReview failed with {(int)response.StatusCode}", null, response.StatusCode);
        }

        var status = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["status"];
        var allowed = status?["allowed"] is JsonValue value && value.TryGetValue<bool>(out var yes) && yes;
        return new AccessDecision(allowed, status?["reason"] is JsonValue reason && reason.TryGetValue<string>(out var text) ? text : "");
    }
}
