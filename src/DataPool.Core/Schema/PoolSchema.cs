using System.Text.Json.Serialization;

namespace DataPool.Core.Schema;

/// <summary>Labels in the two languages of the product.</summary>
public sealed record Labels(string Zh, string En);

/// <summary>A field's value type in the pool.</summary>
public static class FieldTypes
{
    public const string String = "string";
    public const string Int = "int";
    public const string Decimal = "decimal";
    public const string Date = "date";
    public const string Bool = "bool";
    public const string Code = "code";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { String, Int, Decimal, Date, Bool, Code };
}

/// <summary>How conflicting values from several sources resolve into the golden record.</summary>
public static class Survivorship
{
    /// <summary>Higher source priority wins; ties go to the most recently seen.</summary>
    public const string Priority = "priority";
    /// <summary>The most recently seen value wins; ties go to priority.</summary>
    public const string Recent = "recent";
    /// <summary>The longest (most complete) value wins; ties go to priority.</summary>
    public const string Complete = "complete";
    /// <summary>A source of the field's owning department wins; otherwise priority.</summary>
    public const string Owner = "owner";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Priority, Recent, Complete, Owner };
}

/// <summary>How personal a field is: decides masking and audit.</summary>
public static class PiiClasses
{
    public const string None = "none";
    public const string Personal = "personal";
    public const string Sensitive = "sensitive";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { None, Personal, Sensitive };
}

/// <summary>One field of a pool entity, as declared in schemas/pool/&lt;entity&gt;.json.</summary>
public sealed record PoolField
{
    [JsonIgnore]
    public string Name { get; init; } = "";
    public required string Type { get; init; }
    public required Labels Labels { get; init; }
    /// <summary>For <c>code</c> fields: a table in schemas/codes (e.g. <c>gender</c>).</summary>
    public string? CodeTable { get; init; }
    /// <summary>A stricter shape of a string: <c>id_number</c>, <c>phone</c>, <c>division</c> (12-digit community code).</summary>
    public string? Format { get; init; }
    public string Pii { get; init; } = PiiClasses.None;
    /// <summary>The department that owns the field; defaults to the entity's.</summary>
    public string? Department { get; init; }
    public string Survivorship { get; init; } = Core.Schema.Survivorship.Priority;
    /// <summary>Earliest and latest acceptable values of a date field (ISO dates; <c>today</c> allowed).</summary>
    public string? Min { get; init; }
    public string? Max { get; init; }
}

/// <summary>One pool entity, as declared in schemas/pool/&lt;entity&gt;.json.</summary>
public sealed record PoolEntity
{
    public required string Name { get; init; }
    public required Labels Labels { get; init; }
    /// <summary>The fields whose normalised values identify a record of this entity (e.g. <c>id_number</c>).</summary>
    public required IReadOnlyList<string> Key { get; init; }
    public string Department { get; init; } = "";
    public required IReadOnlyDictionary<string, PoolField> Fields { get; init; }

    public string OwnerOf(PoolField field) => field.Department ?? Department;
}

/// <summary>A code table (GB/T 2261.1 gender, GB/T 3304 ethnicity, …): code → label, plus accepted aliases.</summary>
public sealed record CodeTable
{
    [JsonIgnore]
    public string Name { get; init; } = "";
    public required Labels Labels { get; init; }
    public string? Standard { get; init; }
    public required IReadOnlyDictionary<string, string> Codes { get; init; }
    /// <summary>Other spellings legacy systems use, mapped to a code (e.g. <c>男</c> → <c>1</c>, <c>F</c> → <c>2</c>).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();
}
