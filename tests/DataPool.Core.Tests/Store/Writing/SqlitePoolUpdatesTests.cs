using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>
/// On SQLite a re-sync sets only the columns that changed: SQLite rewrites the entries of every index over a column an
/// UPDATE sets, equal value or not, and a 1% re-sync of a million persons dirtied the key, community and record-to-pool
/// indexes all over (596 MB of WAL; 522 MB once they were left alone). Triggers declared <c>UPDATE OF</c> a column
/// fire exactly when an UPDATE sets it, so they tell which columns the run's statements named.
/// </summary>
public sealed class SqlitePoolUpdatesTests
{
    private const int People = 30;
    private const int Changed = 10;
    private const string MaxDeleteShare = "0.5";

    [Test]
    public async Task A_changed_phone_sets_the_phone_and_leaves_the_indexed_key_and_the_records_pool_link_alone()
    {
        await using var host = await PoolTestHost.CreateAsync(StoreOptions.Sqlite);
        await HukouDefinitions.SyncPhoneBookAsync(host, People, _ => "13800138000", MaxDeleteShare);
        await WatchAsync(host);

        WriteHukou(host, phoneOf: i => i < Changed ? $"1391234{i:D4}" : "13800138000");
        var second = await host.SyncAsync("hukou.source.json");

        Assert.That(second.Succeeded, Is.True, second.Error);
        Assert.That(second.SummaryLine, Does.Contain($"updated={Changed} unchanged={People - Changed}"));
        Assert.That(await SetAsync(host, "pool_person.phone"), Is.EqualTo(Changed), "every changed phone was written");
        Assert.That(await SetAsync(host, "dp_source_records.data"), Is.EqualTo(Changed), "every changed record was written");
        Assert.That(await SetAsync(host, "pool_person.id_number"), Is.Zero, "the key column (its unique index) was named by an UPDATE");
        Assert.That(await SetAsync(host, "pool_person._deleted"), Is.Zero, "the deleted flag (in the match index) was named by an UPDATE");
        Assert.That(await SetAsync(host, "dp_source_records.pool_id"), Is.Zero, "a record staying with its person had its pool link rewritten");
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE phone LIKE '1391234%'"), Is.EqualTo(Changed));
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE id_number IS NULL OR name IS NULL"), Is.Zero, "the columns not set kept their values");
    }

    [Test]
    public async Task A_record_gone_from_the_export_sets_the_deleted_flag_and_comes_back_with_its_values()
    {
        await using var host = await PoolTestHost.CreateAsync(StoreOptions.Sqlite);
        await HukouDefinitions.SyncPhoneBookAsync(host, People, _ => "13800138000", MaxDeleteShare);
        await WatchAsync(host);

        WriteHukou(host, phoneOf: _ => "13800138000", people: People - 1);
        var gone = await host.SyncAsync("hukou.source.json");
        Assert.That(gone.SummaryLine, Does.Contain("deleted=1"));
        Assert.That(await SetAsync(host, "pool_person._deleted"), Is.EqualTo(1));
        Assert.That(await SetAsync(host, "pool_person.phone"), Is.Zero, "a deletion keeps the last values: nothing else to set");
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 1 AND phone = '13800138000'"), Is.EqualTo(1));

        WriteHukou(host, phoneOf: _ => "13800138000");
        var back = await host.SyncAsync("hukou.source.json");
        Assert.That(back.Succeeded, Is.True, back.Error);
        Assert.That(await SetAsync(host, "pool_person._deleted"), Is.EqualTo(2), "restored: the flag was set again");
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0"), Is.EqualTo(People));
    }

    [Test]
    public void Changed_names_the_fields_whose_value_changed_appeared_or_went()
    {
        string[] fields = ["id_number", "name", "phone", "address"];
        var stored = new Dictionary<string, string> { ["id_number"] = "1", ["name"] = "王", ["address"] = "东城" };
        var golden = new Dictionary<string, Survivor>
        {
            ["id_number"] = new("1", 0), ["name"] = new("李", 0), ["phone"] = new("139", 0),
        };

        var changed = SqlitePoolUpdates.Changed(fields, stored, golden);

        Assert.That(Enumerable.Range(0, fields.Length).Where(i => SqlitePoolUpdates.Sets(changed, i)).Select(i => fields[i]),
            Is.EqualTo(new[] { "name", "phone", "address" }));
    }

    /// <summary>Counts, per table and column, the rows an UPDATE naming that column touched.</summary>
    private static async Task WatchAsync(PoolTestHost host)
    {
        await host.QueryAsync("CREATE TABLE test_set (what TEXT NOT NULL)");
        foreach (var (table, column) in new[]
                 {
                     ("pool_person", "phone"), ("pool_person", "id_number"), ("pool_person", "_deleted"),
                     ("dp_source_records", "data"), ("dp_source_records", "pool_id"),
                 })
        {
            await host.QueryAsync($"CREATE TRIGGER test_set_{table}_{column} AFTER UPDATE OF {column} ON {table} BEGIN INSERT INTO test_set VALUES ('{table}.{column}'); END");
        }
    }

    private static Task<long> SetAsync(PoolTestHost host, string what) =>
        host.CountAsync("SELECT COUNT(*) FROM test_set WHERE what = @what", ("@what", what));

    private static void WriteHukou(PoolTestHost host, Func<int, string> phoneOf, int people = People) =>
        HukouDefinitions.WritePhoneBook(host, people, phoneOf, MaxDeleteShare);
}
