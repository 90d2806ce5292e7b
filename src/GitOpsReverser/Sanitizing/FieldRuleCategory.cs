namespace GitOpsReverser.Sanitizing;

internal enum FieldRuleCategory
{
    /// <summary>Set by the API server or a controller, never by the user: always removed.</summary>
    ServerAssigned,

    /// <summary>Equal to the API server's documented default: removed unless de-defaulting is switched off.</summary>
    Default,
}
