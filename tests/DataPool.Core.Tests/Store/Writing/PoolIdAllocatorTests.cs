using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>
/// On PostgreSQL a run takes its ids from the tables' sequences a block at a time, in blocks that grow while it keeps
/// asking; other nodes take ids from the same sequences at the same time. No id may be handed out twice.
/// </summary>
public sealed class PoolIdAllocatorTests
{
    [Test]
    public async Task Two_runs_taking_ids_at_once_in_growing_blocks_never_get_the_same_id()
    {
        await using var host = await PoolTestHost.CreateAsync(StoreOptions.Postgres);
        await using var first = await host.Database.OpenAsync();
        await using var second = await host.Database.OpenAsync();
        await using var firstRun = await first.BeginTransactionAsync();
        await using var secondRun = await second.BeginTransactionAsync();
        var one = new PoolIdAllocator(first, firstRun, host.Database.Dialect, 1);
        var other = new PoolIdAllocator(second, secondRun, host.Database.Dialect, 2);

        var records = new List<long>();
        var pools = new List<long>();
        // Interleaved past several block sizes (1,000, 2,000, 4,000, ...), as two nodes' syncs would be.
        for (var i = 0; i < 40_000; i++)
        {
            records.Add(one.NextRecordId());
            records.Add(other.NextRecordId());
            pools.Add((i % 3 == 0 ? other : one).NextPoolId("person"));
        }

        Assert.That(records.Distinct().Count(), Is.EqualTo(records.Count), "record ids");
        Assert.That(pools.Distinct().Count(), Is.EqualTo(pools.Count), "pool ids");
        Assert.That(records.Min(), Is.GreaterThan(0));
    }
}
