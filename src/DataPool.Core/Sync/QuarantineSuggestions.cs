using System.Globalization;
using DataPool.Abstractions;
using DataPool.Core.Values;

namespace DataPool.Core.Sync;

/// <summary>
/// A fix the row's own data implies for one source column: <see cref="Value"/> to write instead of <see cref="Current"/>.
/// <see cref="Kind"/> says what implies it (one of <see cref="QuarantineSuggestions"/>' kinds); <see cref="Detail"/> the evidence
/// (the ID number the date comes from, the label the code has).
/// </summary>
public sealed record QuarantineSuggestion(string Column, string Field, string? Current, string Value, string Kind, string? Detail = null);

/// <summary>
/// Fixes a quarantined row's data implies, worked out with the stream's own mapping: the birth date and gender an
/// ID number states, a 15-digit ID number upgraded to 18 characters (and a 17-digit one given its check character),
/// a code table's code where the row holds something close to one of its labels or a code without its leading zeros.
/// A suggestion that would not clear its field's failure is not offered (the upgrade of a valid 15-digit number aside,
/// which only writes it in today's form).
/// </summary>
public static class QuarantineSuggestions
{
    public const string IdUpgrade = "id_upgrade";
    public const string IdCheckCharacter = "id_check_character";
    public const string BirthDateFromId = "birth_date_from_id";
    public const string GenderFromId = "gender_from_id";
    public const string CodeFromLabel = "code_from_label";

    public static IReadOnlyList<QuarantineSuggestion> For(StreamPlan plan, IReadOnlyDictionary<string, string?> row)
    {
        var columns = row.Keys.ToList();
        var raw = new RawRow(new RowHeader(columns), columns.Select(c => row[c]).ToArray(), 0, "suggestion");
        if (plan.Mapper.MissingColumns(raw.Header).Any())
        {
            return []; // a ragged row: its columns are not where the mapping expects them
        }

        var verdict = plan.Judge(raw);
        var failing = verdict.Reasons.Select(QuarantineReasons.Classify).Where(r => r.Field is not null).Select(r => r.Field!).ToHashSet(StringComparer.Ordinal);
        var mapped = verdict.Mapped;
        var plans = plan.Plans;
        var suggestions = new List<QuarantineSuggestion>();
        var id = plans.FindIndex(p => p.Parse == ParseKind.IdNumber);
        var idNumber = id >= 0 && mapped.ParseError(id) is null ? mapped.Values[id] : null;
        if (id >= 0 && Column(plans[id]) is { } idColumn)
        {
            suggestions.AddRange(IdForms(plans[id], idColumn, mapped.Raw[id]));
            idNumber ??= suggestions.FirstOrDefault(s => s.Kind == IdCheckCharacter)?.Value;
        }

        for (var i = 0; i < plans.Count; i++)
        {
            var field = plans[i];
            if (!failing.Contains(field.Name) || Column(field) is not { } column)
            {
                continue;
            }

            var suggestion = field.Name switch
            {
                "birth_date" when idNumber is not null => new QuarantineSuggestion(column, field.Name, row[column],
                    IdNumber.BirthDate(idNumber).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), BirthDateFromId, idNumber),
                "gender" when idNumber is not null => Written(field, IdNumber.GenderCode(idNumber)) is { } gender
                    ? new QuarantineSuggestion(column, field.Name, row[column], gender, GenderFromId, idNumber)
                    : null,
                _ when field.CodeTable is not null => NearestCode(field, column, row[column], mapped.Raw[i]),
                _ => null,
            };
            if (suggestion is not null && Clears(plan, row, suggestion))
            {
                suggestions.Add(suggestion);
            }
        }

        return suggestions;
    }

    /// <summary>A 15-digit number in its 18-character form; 17 digits completed with the check character they imply.</summary>
    private static IEnumerable<QuarantineSuggestion> IdForms(FieldPlan field, string column, string? text)
    {
        var digits = new string((text ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (digits.Length == 15 && digits.All(char.IsAsciiDigit) && IdNumber.TryNormalise(digits, out var upgraded, out _))
        {
            yield return new QuarantineSuggestion(column, field.Name, text, upgraded, IdUpgrade);
        }
        else if (digits.Length == 17 && digits.All(char.IsAsciiDigit))
        {
            var completed = digits + IdNumber.CheckCharacter(digits);
            if (IdNumber.TryNormalise(completed, out var valid, out _))
            {
                yield return new QuarantineSuggestion(column, field.Name, text, valid, IdCheckCharacter);
            }
        }
    }

    /// <summary>The one code whose label contains the value (or is contained in it), or equals it but for leading zeros.</summary>
    private static QuarantineSuggestion? NearestCode(FieldPlan field, string column, string? current, string? cleaned)
    {
        if (cleaned is not { Length: > 0 } value)
        {
            return null;
        }

        var table = field.CodeTable!;
        var candidates = table.Codes
            .Where(c => value.All(char.IsAsciiDigit)
                ? c.Key.TrimStart('0') == value.TrimStart('0')
                : c.Value.Contains(value, StringComparison.OrdinalIgnoreCase) || value.Contains(c.Value, StringComparison.OrdinalIgnoreCase))
            .Select(c => c.Key)
            .Concat(table.Aliases.Where(a => !value.All(char.IsAsciiDigit) && (a.Key.Contains(value, StringComparison.OrdinalIgnoreCase) || value.Contains(a.Key, StringComparison.OrdinalIgnoreCase))).Select(a => a.Value))
            .Distinct()
            .ToList();
        return candidates.Count == 1 && Written(field, candidates[0]) is { } written
            ? new QuarantineSuggestion(column, field.Name, current, written, CodeFromLabel, $"{candidates[0]} {table.Codes[candidates[0]]}")
            : null;
    }

    /// <summary>What to write in the column for a code to come out: the code itself when the mapping reads it as itself, else its label, else any value mapped to it.</summary>
    private static string? Written(FieldPlan field, string code)
    {
        if (field.Codes is not { } codes)
        {
            return code;
        }

        if (codes.TryGetValue(code, out var same) && same == code)
        {
            return code;
        }

        if (field.CodeTable?.Codes.TryGetValue(code, out var label) == true && codes.TryGetValue(label, out var labelled) && labelled == code)
        {
            return label;
        }

        return codes.FirstOrDefault(c => c.Value == code).Key;
    }

    private static bool Clears(StreamPlan plan, IReadOnlyDictionary<string, string?> row, QuarantineSuggestion suggestion)
    {
        var columns = row.Keys.ToList();
        var values = columns.Select(c => c == suggestion.Column ? suggestion.Value : row[c]).ToArray();
        return plan.Judge(new RawRow(new RowHeader(columns), values, 0, "suggestion")).Reasons
            .Select(QuarantineReasons.Classify).All(r => r.Field != suggestion.Field);
    }

    private static string? Column(FieldPlan field) => field.Mapping.From.Count == 1 ? field.Mapping.From[0] : null;
}
