using System.Text.RegularExpressions;

namespace DataPool.Core.Sync;

/// <summary>
/// One reason a row was quarantined, read back from its English text: a stable <see cref="Code"/> (what the console
/// groups and filters by, and shows in Chinese or English), the pool field and source columns it concerns when it
/// concerns one, and the text as the pipeline wrote it (kept for compatibility and for the details).
/// </summary>
public sealed record QuarantineReason(string Code, string? Field, IReadOnlyList<string> Columns, string Text);

/// <summary>
/// The stable codes of quarantine reasons. The pipeline writes reasons as English sentences ("field (columns):
/// message", or a row-level message); the codes are derived from those sentences here, in one place, so the texts
/// may improve without the codes (and what people filter by) changing.
/// </summary>
public static partial class QuarantineReasons
{
    public const string IdCheckCharacter = "id_check_character";
    public const string IdLength = "id_length";
    public const string IdCharacter = "id_character";
    public const string IdBirthDate = "id_birth_date";
    public const string BirthDateMismatch = "birth_date_mismatch";
    public const string GenderMismatch = "gender_mismatch";
    public const string UnknownCode = "unknown_code";
    public const string DateFormat = "date_format";
    public const string ImpossibleDate = "impossible_date";
    public const string DateRange = "date_range";
    public const string Required = "required";
    public const string Number = "number";
    public const string Phone = "phone";
    public const string YesNo = "yes_no";
    public const string Division = "division";
    public const string ControlCharacters = "control_characters";
    public const string KeyMissing = "key_missing";
    public const string DuplicateKey = "duplicate_key";
    public const string Unlinkable = "unlinkable";
    public const string UnreadableRow = "unreadable_row";

    /// <summary>Every code, in the order the console lists them.</summary>
    public static readonly IReadOnlyList<string> Codes =
    [
        IdCheckCharacter, IdLength, IdCharacter, IdBirthDate, BirthDateMismatch, GenderMismatch, UnknownCode, DateFormat, ImpossibleDate,
        DateRange, Required, Number, Phone, YesNo, Division, ControlCharacters, KeyMissing, DuplicateKey, Unlinkable, UnreadableRow,
    ];

    // Message fragments → code, first match wins; the fragments are those of RowValidator, the value parsers and StreamSync.
    private static readonly (string Fragment, string Code)[] Messages =
    [
        ("check character is", IdCheckCharacter),
        ("characters, expected 18", IdLength),
        ("disagrees with the ID number, which says", BirthDateMismatch),
        ("disagrees with the ID number, whose sequence", GenderMismatch),
        ("birth date ", IdBirthDate),
        ("is not a code of", UnknownCode),
        ("is not a recognised date format", DateFormat),
        ("is not a date", ImpossibleDate),
        ("is outside", DateRange),
        ("is required but column", Required),
        ("is not a whole number", Number),
        ("is not a number", Number),
        ("is out of range", Number),
        ("number is empty", Number),
        ("phone number", Phone),
        ("not part of a phone number", Phone),
        ("not a mainland China number", Phone),
        ("is not a yes/no value", YesNo),
        ("division code", Division),
        ("control or bidi character", ControlCharacters),
        ("missing, so the row cannot be linked", Unlinkable),
        ("too little to match", Unlinkable),
        ("contains '", IdCharacter),
    ];

    /// <summary>Reads one reason: its code, field and columns.</summary>
    public static QuarantineReason Classify(string text)
    {
        if (text.StartsWith("key column(s) ", StringComparison.Ordinal))
        {
            return new QuarantineReason(KeyMissing, null, [], text);
        }

        if (text.StartsWith("duplicate key ", StringComparison.Ordinal))
        {
            return new QuarantineReason(DuplicateKey, null, [], text);
        }

        var field = FieldReason().Match(text);
        if (!field.Success)
        {
            // Row-level: a ragged line, a cell that cannot be read, a row cut off; or a key that cannot be linked.
            var unlinkable = Messages.Any(m => m.Code == Unlinkable && text.Contains(m.Fragment, StringComparison.Ordinal));
            return new QuarantineReason(unlinkable ? Unlinkable : UnreadableRow, null, [], text);
        }

        var name = field.Groups["field"].Value;
        var columns = field.Groups["columns"].Value.Split('+', StringSplitOptions.RemoveEmptyEntries);
        var message = field.Groups["message"].Value;
        var code = Messages.FirstOrDefault(m => message.Contains(m.Fragment, StringComparison.Ordinal)).Code;
        if (code == IdCharacter && !name.Contains("id", StringComparison.Ordinal))
        {
            code = null; // "contains 'x'" of a non-ID field is some other parse failure
        }

        return new QuarantineReason(code ?? UnreadableRow, name, columns, text);
    }

    /// <summary>The distinct codes of a row's reasons, as stored in <c>dp_quarantine.reason_codes</c>: <c>|a|b|</c>, so one code is found with LIKE '%|a|%'.</summary>
    public static string Stored(IEnumerable<string> reasons)
    {
        var codes = reasons.Select(r => Classify(r).Code).Distinct().Order(StringComparer.Ordinal).ToList();
        return codes.Count == 0 ? "" : "|" + string.Join("|", codes) + "|";
    }

    /// <summary>The codes of a stored <c>reason_codes</c> value.</summary>
    public static IEnumerable<string> Parse(string? stored) => (stored ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);

    // "birth_date (出生日期): '1980-13-01' is not a date" — field, the columns joined by '+', the message.
    [GeneratedRegex(@"^(?<field>[a-z0-9_]+) \((?<columns>[^)]*)\): (?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex FieldReason();
}
