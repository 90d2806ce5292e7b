using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Control;

/// <summary>Validates <see cref="OperatorOptions"/> with its annotations and rules, reporting each failure as its own message.</summary>
internal sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        var failures = Validate(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem with <paramref name="options"/>, one message each; empty when they are valid.</summary>
    public static IReadOnlyList<string> Validate(OperatorOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(result => result.ErrorMessage ?? "invalid operator settings")];
    }
}
