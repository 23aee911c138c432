using DataPool.Core.Schema;
using DataPool.Core.Store;

namespace DataPool.Core.Access;

/// <summary>
/// The SQL condition that limits an entity's rows to one community: by the row's own <c>community_code</c>, or, for
/// entities that have none (disability, employment, …), through the person or household the row belongs to.
/// Only schema identifiers go into the text; the community is a parameter.
/// </summary>
public static class RowScope
{
    public const string CommunityField = "community_code";

    /// <summary>
    /// A condition over <paramref name="table"/> (a table name or alias) keeping the grant's community; null when the
    /// grant spans every community. An entity with no way to its residents' community yields no rows at all.
    /// </summary>
    public static string? Condition(SchemaCatalog catalog, EntityGrant grant, string table, string parameter)
    {
        if (grant.Community is null)
        {
            return null;
        }

        var entity = catalog.Entity(grant.Entity);
        if (entity.Fields.ContainsKey(CommunityField))
        {
            return $"{table}.{CommunityField} = {parameter}";
        }

        foreach (var (field, via, viaField) in Links)
        {
            if (entity.Fields.ContainsKey(field) && catalog.Entities.TryGetValue(via, out var target) && target.Fields.ContainsKey(CommunityField))
            {
                var other = EntityTables.TableName(via);
                return $"{table}.{field} IN (SELECT s.{viaField} FROM {other} s WHERE s.{CommunityField} = {parameter} AND s.{EntityTables.Deleted} = 0)";
            }
        }

        return "1 = 0";
    }

    /// <summary>How a row without a community of its own reaches one: its resident's ID number, else its household.</summary>
    private static readonly (string Field, string Via, string ViaField)[] Links =
    [
        ("id_number", "person", "id_number"),
        ("household_no", "household", "household_no"),
    ];
}
