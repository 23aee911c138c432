using System.Data.Common;

namespace DataPool.Core.Store;

/// <summary>Merged-away pool ids answer with the record they were merged into (<c>dp_match_redirects</c>).</summary>
public static class Redirects
{
    public static async Task<long> ResolveAsync(DbConnection connection, string entity, long poolId, CancellationToken cancellationToken, DbTransaction? transaction = null)
    {
        for (var hops = 0; hops < 64; hops++)
        {
            var next = await connection.ScalarAsync<long?>("SELECT to_pool FROM dp_match_redirects WHERE entity = @entity AND from_pool = @id",
                transaction, cancellationToken, ("@entity", entity), ("@id", poolId));
            if (next is not { } target)
            {
                break;
            }

            poolId = target;
        }

        return poolId;
    }
}
