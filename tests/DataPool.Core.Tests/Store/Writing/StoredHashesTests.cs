using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>
/// A full stream's run starts by reading the stream's stored hashes. Read by the unique key, a million records were a
/// read at random each (the re-sync of a million persons took 10.6 s instead of 6.4 s); they must come in table order.
/// On SQLite they come from an index holding all the read needs: through the table, a cold re-sync of a million persons
/// read 1.4 GB of records' JSON for 24 bytes of each (1.68 s against 0.26 s).
/// </summary>
public sealed class StoredHashesTests
{
    [Test]
    public async Task Stored_hashes_are_read_in_table_order_from_a_covering_index_not_in_key_order_nor_from_the_records()
    {
        await using var host = await PoolTestHost.CreateAsync(StoreOptions.Sqlite);
        var plan = (await host.QueryAsync("EXPLAIN QUERY PLAN " + StoredHashes.LoadSql, ("@source", "hukou"), ("@stream", "persons")))
            .Select(row => Convert.ToString(row["detail"])).ToList();

        Assert.That(plan, Has.Some.Contains("USING COVERING INDEX ix_dp_source_records_hashes (source_id=? AND stream=?)"), string.Join("\n", plan));
        Assert.That(plan, Has.None.Contains("TEMP B-TREE"), "no sort: the index gives the order");
    }
}
