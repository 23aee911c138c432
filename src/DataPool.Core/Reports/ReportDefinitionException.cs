namespace DataPool.Core.Reports;

/// <summary>One problem of a report definition, located by a JSON path such as <c>$.measures[2].where[0].field</c>.</summary>
public sealed record ReportError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>A report definition that cannot be used; the message has one line per problem, each naming the file and the JSON path.</summary>
public sealed class ReportDefinitionException(string origin, IReadOnlyList<ReportError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => $"{origin}: {e.Path}: {e.Message}")))
{
    public string Origin { get; } = origin;
    public IReadOnlyList<ReportError> Errors { get; } = errors;
}

/// <summary>A report id that no definition has; the message names the known ones.</summary>
public sealed class UnknownReportException(string id, IEnumerable<string> known)
    : Exception($"no report '{id}'; reports: {string.Join(", ", known)}");
