namespace DataPool.Core.Sync;

/// <summary>A raw row mapped onto a stream's pool fields: canonical values, the cleaned source text, and parse errors.</summary>
public sealed class MappedRow
{
    // Parse errors and notes are rare: their arrays are made for the row that has one, not for every clean row.
    private string?[]? _parseErrors;
    private string?[]? _notes;

    public MappedRow(int fields)
    {
        Values = new string?[fields];
        Raw = new string?[fields];
    }

    /// <summary>Canonical text per plan: ISO dates, 18-character ID numbers, codes, invariant numbers.</summary>
    public string?[] Values { get; }
    /// <summary>The source text after cleaning (NFKC, trimmed), kept for messages and flags.</summary>
    public string?[] Raw { get; }

    public string? Value(int plan) => Values[plan];
    public string? ParseError(int plan) => _parseErrors?[plan];

    /// <summary>What cleaning removed from a value that is still used (control or bidi characters), per plan.</summary>
    public string? Note(int plan) => _notes?[plan];

    public void SetParseError(int plan, string? error)
    {
        if (error is not null)
        {
            (_parseErrors ??= new string?[Values.Length])[plan] = error;
        }
    }

    public void SetNote(int plan, string note) => (_notes ??= new string?[Values.Length])[plan] = note;
}
