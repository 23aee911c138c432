using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>
/// A full stream's run starts by reading the stream's stored hashes. Read by the unique key, a million records were a
/// read at random each (the re-sync of a million persons took 10.6 s instead of 6.4 s); they must come in table order.
/// </summary>
public sealed class StoredHashesTests
{
    [Test]
    public async Task Stored_hashes_are_read_in_table_order_through_an_index_not_in_key_order()
    {
        await using var host = await PoolTestHost.CreateAsync(StoreOptions.Sqlite);
        var plan = (await host.QueryAsync("EXPLAIN QUERY PLAN " + StoredHashes.LoadSql, ("@source", "hukou"), ("@stream", "persons")))
            .Select(row => Convert.ToString(row["detail"])).ToList();

        Assert.That(plan, Has.Some.Contains("USING INDEX ix_dp_source_records_stream (source_id=? AND stream=?)"));
        Assert.That(plan, Has.None.Contains("TEMP B-TREE"), "no sort: the index gives the order");
    }
}
