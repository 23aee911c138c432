namespace DataPool.Core.Matching;

/// <summary>
/// What a row without a valid ID number must carry to be matched at all: any one of a set of field combinations
/// (OR of ANDs). By default a name with a birth date, a phone or an address; a row meeting none is quarantined,
/// and the reason names the combinations that would have sufficed. Configured under
/// <c>DataPool:Matching:Evidence</c> as a list like <c>["name+birth_date", "name+phone"]</c>.
/// </summary>
public sealed class MatchEvidence
{
    /// <summary>The fields a rule may name: those a <see cref="MatchRecord"/> compares besides the ID number.</summary>
    public static readonly string[] Fields = ["name", "birth_date", "gender", "address", "phone", "community_code"];

    public static readonly MatchEvidence Default = new(["name+birth_date", "name+phone", "name+address"]);

    private readonly string[][] _rules;

    public MatchEvidence(IEnumerable<string> rules)
    {
        Rules = rules.Select(r => r.Trim()).Where(r => r.Length > 0).ToArray();
        _rules = Rules.Select(r => r.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var unknown = _rules.SelectMany(r => r).Where(f => !Fields.Contains(f)).ToList();
        if (unknown.Count > 0 || _rules.Length == 0)
        {
            throw new ArgumentException($"evidence rules name fields of {string.Join(", ", Fields)} joined by '+' (unknown: {string.Join(", ", unknown)})", nameof(rules));
        }
    }

    public string[] Rules { get; }

    public bool IsMetBy(MatchRecord record) => _rules.Any(rule => rule.All(field => Has(record, field)));

    /// <summary>Why a row cannot be matched: what it has, and the combinations that would have sufficed.</summary>
    public string Shortfall(MatchRecord record)
    {
        var has = Fields.Where(f => Has(record, f)).ToList();
        return $"there is too little to match the row: it has {(has.Count == 0 ? "none of the compared fields" : string.Join(", ", has))}; "
            + $"any of {string.Join(", ", Rules)} would have sufficed";
    }

    private static bool Has(MatchRecord record, string field) => field switch
    {
        "name" => record.Name is not null,
        "birth_date" => record.BirthDate is not null,
        "gender" => record.Gender is not null,
        "address" => record.Address is not null,
        "phone" => record.Phone is not null,
        _ => record.Community is not null,
    };
}
