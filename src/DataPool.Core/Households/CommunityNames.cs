using System.Data.Common;
using DataPool.Core.Store;

namespace DataPool.Core.Households;

/// <summary>
/// The communities' names by code, as the pool holds them (civil affairs' community register): a person is shown a
/// community by its name with the code beside, never the twelve digits alone. Names are not personal data.
/// </summary>
public static class CommunityNames
{
    /// <summary>Every live community's name by its code (communities without a name are left out).</summary>
    public static async Task<Dictionary<string, string>> AllAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = connection.Command($"SELECT community_code, name FROM {EntityTables.TableName("community")} WHERE {EntityTables.Deleted} = 0");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(0) && !reader.IsDBNull(1))
            {
                names[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return names;
    }

    /// <summary>One community's name; null when the code is null or the pool does not know the community.</summary>
    public static async Task<string?> OfAsync(PoolDatabase database, string? code, CancellationToken cancellationToken)
    {
        if (code is null)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT name FROM {EntityTables.TableName("community")} WHERE community_code = @code AND {EntityTables.Deleted} = 0", null, ("@code", code));
        return await command.ExecuteScalarAsync(cancellationToken) is string name ? name : null;
    }
}
