using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace GitOpsReverser.Hosting;

/// <summary>Validates <see cref="OperatorOptions"/> with its annotations and rules, reporting each failure as its own message.</summary>
internal sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(result => result.ErrorMessage ?? "invalid operator settings"));
    }
}
