namespace DataPool.Core.Sync;

/// <summary>A raw row mapped onto a stream's pool fields: canonical values, the cleaned source text, and parse errors.</summary>
public sealed class MappedRow
{
    public MappedRow(int fields)
    {
        Values = new string?[fields];
        Raw = new string?[fields];
        ParseErrors = new string?[fields];
        Notes = new string?[fields];
    }

    /// <summary>Canonical text per plan: ISO dates, 18-character ID numbers, codes, invariant numbers.</summary>
    public string?[] Values { get; }
    /// <summary>The source text after cleaning (NFKC, trimmed), kept for messages and flags.</summary>
    public string?[] Raw { get; }
    public string?[] ParseErrors { get; }
    /// <summary>What cleaning removed from a value that is still used (control or bidi characters), per plan.</summary>
    public string?[] Notes { get; }

    public string? Value(int plan) => Values[plan];
    public string? ParseError(int plan) => ParseErrors[plan];
}
