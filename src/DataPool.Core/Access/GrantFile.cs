using DataPool.Core.Schema;

namespace DataPool.Core.Access;

/// <summary>One department's grants, as written in schemas/access/&lt;department&gt;.json.</summary>
public sealed record GrantFile
{
    /// <summary>The department, equal to the file's name: what an analyst's <see cref="Viewer.Department"/> names.</summary>
    public required string Department { get; init; }
    public Labels? Labels { get; init; }
    /// <summary>Entity → what of it the department reads.</summary>
    public required IReadOnlyDictionary<string, EntityGrantEntry> Entities { get; init; }
}

/// <summary>
/// The fields of one entity a department reads, and which of those it reads unmasked (only sensitive fields are
/// ever masked). <c>"*"</c> stands for every field of the entity.
/// </summary>
public sealed record EntityGrantEntry
{
    public required IReadOnlyList<string> Fields { get; init; }
    public IReadOnlyList<string> Unmasked { get; init; } = [];
}
