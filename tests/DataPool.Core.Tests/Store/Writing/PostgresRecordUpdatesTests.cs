using DataPool.Core.Store;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>
/// On PostgreSQL a re-sync's changed source records are written a batch a statement: one <c>UPDATE</c> per changed
/// row was a round trip each, ten thousand of them when 1% of a million rows changed.
/// </summary>
public sealed class PostgresRecordUpdatesTests
{
    private const int People = 60;
    private const int Changed = 40;

    [Test]
    public async Task Changed_records_of_a_batch_are_one_update_and_every_change_lands()
    {
        await using var host = await PoolTestHost.CreateAsync(StoreOptions.Postgres);
        await HukouDefinitions.SyncPhoneBookAsync(host, People, _ => "13800138000");

        WriteHukou(host, phoneOf: i => i < Changed ? $"1391234{i:D4}" : "13800138000");
        var (second, statements) = await PostgresStatementLog.SyncAsync(host, "hukou.source.json");

        Assert.That(second.Succeeded, Is.True, second.Error);
        Assert.That(second.SummaryLine, Does.Contain($"updated={Changed} unchanged={People - Changed}"));
        Assert.That(statements, Is.Not.Empty, "the listener saw none of the run's statements");
        var recordUpdates = statements.Count(s => s.StartsWith("UPDATE dp_source_records", StringComparison.Ordinal));
        Assert.That(recordUpdates, Is.EqualTo(1), string.Join("\n", statements.Where(s => s.StartsWith("UPDATE", StringComparison.Ordinal))));

        var records = await host.QueryAsync("SELECT data, changed_run FROM dp_source_records WHERE data LIKE '%1391234%'");
        Assert.That(records, Has.Count.EqualTo(Changed));
        Assert.That(records.Select(r => Convert.ToInt64(r["changed_run"])).Distinct(), Is.EqualTo(new[] { second.RunId }));
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE phone LIKE '1391234%'"), Is.EqualTo(Changed));
    }

    private static void WriteHukou(PoolTestHost host, Func<int, string> phoneOf) => HukouDefinitions.WritePhoneBook(host, People, phoneOf);
}
