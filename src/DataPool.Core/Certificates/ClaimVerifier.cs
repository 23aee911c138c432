using DataPool.Core.Access;
using DataPool.Core.Store;

namespace DataPool.Core.Certificates;

/// <summary>
/// A yes/no question about a resident, asked by a department instead of a certificate. <see cref="Subject"/> is the
/// resident's ID number; <see cref="Other"/> the other person's of a relation claim; <see cref="Community"/> the
/// 12-digit code of <c>lives-in-community</c>; <see cref="Grade"/> the grade of <c>disability-grade-at-most</c>.
/// </summary>
public sealed record ClaimQuestion(string Claim, string Subject, string Purpose, string? Other = null, string? Community = null, string? Grade = null);

/// <summary>The source whose value decided an answer, and when it recorded it.</summary>
public sealed record ClaimSource(string Id, string? Name, string? Department);

/// <summary>
/// The answer: <c>yes</c>, <c>no</c> or <c>unknown</c> (the pool cannot tell), as of the time the deciding value was
/// last synced, with the source that supplied it. Nothing else about the resident.
/// </summary>
public sealed record ClaimAnswer(string Claim, string Answer, string? AsOf, ClaimSource? Source, string Basis);

/// <summary>Why a question was not answered: not granted (403) or badly asked (400).</summary>
public sealed class ClaimRefusedException(string message, bool forbidden) : Exception(message)
{
    public bool Forbidden { get; } = forbidden;
}

/// <summary>
/// Answers verification claims from the pool (the way evidence exchange answers a yes/no question instead of sending
/// the record). A claim is answered only when the asking viewer's grant covers every field that decides it, every
/// question is audited with its purpose before the answer leaves, and the answer carries no personal value.
/// </summary>
public sealed class ClaimVerifier(PoolDatabase database, IPoolAccess access)
{
    /// <summary>Per claim: the entity and fields whose values decide it — the viewer must be granted each.</summary>
    public static readonly IReadOnlyDictionary<string, (string Entity, string[] Fields)> Deciding = new Dictionary<string, (string, string[])>(StringComparer.Ordinal)
    {
        ["lives-in-community"] = ("person", ["community_code"]),
        ["is-alive"] = ("person", ["id_number"]),
        ["is-child-of"] = ("person", ["household_no", "relation_to_head"]),
        ["is-spouse-of"] = ("person", ["household_no", "relation_to_head"]),
        ["is-parent-of"] = ("person", ["household_no", "relation_to_head"]),
        ["receives-dibao"] = ("social_assistance", ["assistance_type", "status"]),
        ["disability-grade-at-most"] = ("disability", ["grade"]),
        ["registered-unemployed"] = ("employment", ["status"]),
        ["special-care-recipient"] = ("special_care", ["care_type"]),
    };

    public async Task<ClaimAnswer> VerifyAsync(Viewer viewer, ClaimQuestion question, CancellationToken cancellationToken)
    {
        if (!Deciding.TryGetValue(question.Claim, out var deciding))
        {
            throw new ClaimRefusedException($"'{question.Claim}' is not a claim; claims: {string.Join(", ", Deciding.Keys)}", forbidden: false);
        }

        if (string.IsNullOrWhiteSpace(question.Purpose))
        {
            throw new ClaimRefusedException("every question states its purpose (the case or procedure it is asked for): it is audited", forbidden: false);
        }

        var view = access.ViewOf(viewer, deciding.Entity);
        if (view is null || deciding.Fields.Any(f => !view.Shows(f)))
        {
            throw new ClaimRefusedException($"your grant does not cover '{question.Claim}' (it is decided by {deciding.Entity}.{string.Join(", ", deciding.Fields)})", forbidden: true);
        }

        ValidateArguments(question);
        await using var connection = await database.OpenAsync(cancellationToken);
        var subject = await PoolRecords.FirstAsync(connection, database, deciding.Entity, "id_number", question.Subject.Trim().ToUpperInvariant(), cancellationToken);
        var person = deciding.Entity == "person" ? subject : await PoolRecords.FirstAsync(connection, database, "person", "id_number", question.Subject.Trim().ToUpperInvariant(), cancellationToken);
        var other = question.Other is { } o ? await PoolRecords.FirstAsync(connection, database, "person", "id_number", o.Trim().ToUpperInvariant(), cancellationToken) : null;
        var (answer, basis, decidedBy) = question.Claim switch
        {
            "lives-in-community" => LivesIn(person, question.Community!),
            "is-alive" => Alive(person),
            "is-child-of" => Relation(person, other, ClaimRelations.IsChildOf),
            "is-parent-of" => Relation(other, person, ClaimRelations.IsChildOf),
            "is-spouse-of" => Relation(person, other, ClaimRelations.IsSpouseOf),
            _ => Departmental(question, person, subject),
        };

        var audited = new[] { person?.PoolId, other?.PoolId, deciding.Entity == "person" ? null : subject?.PoolId };
        var personIds = audited.Take(2).OfType<long>().ToArray();
        // Audited before the answer leaves: the question, who asked it and why, even when the answer is "unknown".
        if (personIds.Length > 0)
        {
            await access.AuditedViewOf(viewer, "person").AuditAsync(personIds, ["id_number", .. deciding.Entity == "person" ? deciding.Fields : []], $"verify {question.Claim}: {question.Purpose}", cancellationToken);
        }

        if (deciding.Entity != "person" && subject is not null)
        {
            await view.AuditAsync([subject.PoolId], ["id_number", .. deciding.Fields], $"verify {question.Claim}: {question.Purpose}", cancellationToken);
        }

        var origin = decidedBy is { } record && deciding.Fields.FirstOrDefault(record.Provenance.ContainsKey) is { } field
            ? await PoolRecords.OriginAsync(connection, record, field, cancellationToken)
            : null;
        return new ClaimAnswer(question.Claim, answer, origin?.At ?? decidedBy?.UpdatedAt,
            origin is null ? null : new ClaimSource(origin.SourceId, origin.SourceName, origin.Department), basis);
    }

    private static void ValidateArguments(ClaimQuestion question)
    {
        var problem = question.Claim switch
        {
            _ when string.IsNullOrWhiteSpace(question.Subject) => "subject: the resident's ID number",
            "lives-in-community" when question.Community is not { Length: 12 } c || !c.All(char.IsAsciiDigit) => "community: a 12-digit community code",
            "is-child-of" or "is-parent-of" or "is-spouse-of" when string.IsNullOrWhiteSpace(question.Other) => "other: the other person's ID number",
            "disability-grade-at-most" when question.Grade is not ("1" or "2" or "3" or "4") => "grade: 1 (most severe) to 4",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ClaimRefusedException($"'{question.Claim}' needs {problem}", forbidden: false);
        }
    }

    private static (string, string, PoolRecord?) LivesIn(PoolRecord? person, string community) => person switch
    {
        null => ("unknown", "no such resident in the pool", null),
        { Deleted: true } => ("no", "the registration is cancelled", person),
        _ when person.Values.GetValueOrDefault("community_code") is null => ("unknown", "the pool holds no community for the resident", person),
        _ => (person.Values["community_code"] == community ? "yes" : "no", "the resident's community in the pool", person),
    };

    private static (string, string, PoolRecord?) Alive(PoolRecord? person) => person switch
    {
        null => ("unknown", "no such resident in the pool", null),
        { Deleted: true } => ("no", "no source holds the resident any more: registration cancelled (died or moved away)", person),
        _ => ("yes", "a source holds the resident's registration", person),
    };

    private static (string, string, PoolRecord?) Relation(PoolRecord? of, PoolRecord? to, Func<string?, string?, bool?> rule)
    {
        if (of is null || to is null)
        {
            return ("unknown", "one of the two is not in the pool", null);
        }

        // Relations are recorded to the head of a household (GB/T 4761): only two members of one household relate.
        var household = of.Values.GetValueOrDefault("household_no");
        if (household is null || household != to.Values.GetValueOrDefault("household_no"))
        {
            return ("unknown", "not members of one household: the pool records no relation between them", of);
        }

        return rule(of.Values.GetValueOrDefault("relation_to_head"), to.Values.GetValueOrDefault("relation_to_head")) switch
        {
            true => ("yes", "relations to the head of their household", of),
            false => ("no", "relations to the head of their household", of),
            null => ("unknown", "their relations to the head do not tell", of),
        };
    }

    private static (string, string, PoolRecord?) Departmental(ClaimQuestion question, PoolRecord? person, PoolRecord? record)
    {
        if (person is null && record is null)
        {
            return ("unknown", "no such resident in the pool", null);
        }

        if (record is null or { Deleted: true })
        {
            return ("no", "the department's system holds no such record for the resident", record);
        }

        var v = record.Values;
        var yes = question.Claim switch
        {
            "receives-dibao" => v.GetValueOrDefault("assistance_type") == "1" && v.GetValueOrDefault("status") == "1",
            "disability-grade-at-most" => v.GetValueOrDefault("grade") is { } grade && string.CompareOrdinal(grade, question.Grade) <= 0,
            "registered-unemployed" => v.GetValueOrDefault("status") == "4",
            "special-care-recipient" => v.GetValueOrDefault("care_type") is not null,
            _ => false,
        };
        return (yes ? "yes" : "no", "the department's record of the resident", record);
    }
}

/// <summary>Kinship read off two members' relations to the head of their household (GB/T 4761 codes).</summary>
public static class ClaimRelations
{
    private static bool Head(string? r) => r is "02" or "01";
    private static bool Spouse(string? r) => r is not null && r.Length == 2 && r[0] == '1';
    private static bool Child(string? r) => r is not null && r.Length == 2 && (r[0] is '2' or '3') && r is not ("28" or "38");
    private static bool Parent(string? r) => r is not null && r.Length == 2 && r[0] == '5' && r is not ("53" or "54" or "55" or "56");
    private static bool Grandchild(string? r) => r is not null && r.Length == 2 && r[0] == '4' && r is not ("45" or "46");
    private static bool Sibling(string? r) => r is "70" or "71" or "73" or "75" or "77" or "79";

    /// <summary>Whether <paramref name="child"/> is a child of <paramref name="parent"/>; null when the relations do not tell.</summary>
    public static bool? IsChildOf(string? child, string? parent)
    {
        if (child is null || parent is null)
        {
            return null;
        }

        // The head's siblings are children of the head's parents (half-siblings aside, which GB/T 4761 does not tell apart).
        if ((Child(child) && (Head(parent) || Spouse(parent))) || ((Head(child) || Sibling(child)) && Parent(parent)))
        {
            return true;
        }

        // A child of the head and the head's parent, or the head's grandchild and a child: related, not as asked.
        return Grandchild(child) && Child(parent) ? null : false;
    }

    /// <summary>Whether the two are spouses; null when the relations do not tell.</summary>
    public static bool? IsSpouseOf(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        return (Head(a) && Spouse(b)) || (Spouse(a) && Head(b));
    }
}
