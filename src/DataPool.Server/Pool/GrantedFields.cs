using DataPool.Core.Access;
using DataPool.Core.Schema;

namespace DataPool.Server.Pool;

/// <summary>A code of a code table as a person reads it (the tables hold one label, Chinese, for both languages).</summary>
public sealed record GrantedCode(string Code, Labels Label);

/// <summary>
/// One field a viewer may query: its labels, type and codes, and whether they see it masked (a masked field is shown
/// but cannot be filtered or sorted on, as the query API refuses both).
/// </summary>
public sealed record GrantedField(string Name, Labels Labels, string Type, string? Format, IReadOnlyList<GrantedCode>? Codes, bool Masked);

/// <summary>An entity with the fields of it granted to the viewer, in the schema's order.</summary>
public sealed record GrantedEntity(string Name, Labels Labels, IReadOnlyList<GrantedField> Fields);

/// <summary>
/// What the query page may offer a viewer: the entities and fields their grant covers, asked of the access guard
/// (<see cref="IPoolAccess.ViewOf"/>), so a field the guard would refuse is never offered. Only the schema is described,
/// no pool data is read, so nothing is audited.
/// </summary>
public static class GrantedFields
{
    public static IReadOnlyList<GrantedEntity> For(Viewer viewer, SchemaCatalog catalog, IPoolAccess access) =>
        [.. catalog.Entities.Keys.Order(StringComparer.Ordinal)
            .Select(name => access.ViewOf(viewer, name))
            .OfType<PoolView>()
            .Select(view => new GrantedEntity(view.Entity.Name, view.Entity.Labels,
                [.. view.Fields.Select(f => Describe(view.Entity.Fields[f], view.Masks(f), catalog))]))];

    private static GrantedField Describe(PoolField field, bool masked, SchemaCatalog catalog)
    {
        var codes = field.CodeTable is { } table && catalog.CodeTables.TryGetValue(table, out var codeTable)
            ? codeTable.Codes.Select(c => new GrantedCode(c.Key, new Labels(c.Value, c.Value))).ToList()
            : null;
        return new GrantedField(field.Name, field.Labels, field.Type, field.Format, codes, masked);
    }
}
