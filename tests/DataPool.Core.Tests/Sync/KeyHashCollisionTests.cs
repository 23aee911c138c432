using DataPool.Core.Store.Writing;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Sync;

/// <summary>
/// A re-sync finds unchanged rows in memory by the hash of their source key and row; a key hash is no proof of the key.
/// Here every key hashes alike, and each run must still count and write exactly what it would with distinct hashes:
/// the unchanged, the changed, the new, the gone, and an exact duplicate within the export.
/// </summary>
/// <remarks>Each case runs with the hashes in memory and walked (<see cref="SyncOptions.StoredHashesInMemory"/> 0, runs of 5 entries).</remarks>
[TestFixtureSource(nameof(Cases))]
public sealed class KeyHashCollisionTests(string store, bool walked)
{
    public static IEnumerable<object[]> Cases => PoolTestHost.Stores.SelectMany(s => new object[][] { [s, false], [s, true] });

    private const string Header = "户籍人口登记表（测试）\n身份证号,姓名,性别,出生日期,电话\n";
    private PoolTestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = await PoolTestHost.CreateAsync(store, configure: walked
            ? services => services.Configure<SyncOptions>(o => (o.StoredHashesInMemory, o.WalkRunRecords) = (0, 5))
            : null);
        _host.WriteFile("hukou.source.json", HukouDefinitions.CsvSource(headerRow: 2, maxDeleteShare: "0.5", flagBadPhone: false));
    }

    [TearDown]
    public async Task TearDown()
    {
        RowHasher.KeyHashOverride.Value = null;
        await _host.DisposeAsync();
    }

    private static string Id(int i) => Residents.Id(Birth(i), i + 1);

    private static string Birth(int i) => new DateOnly(1950, 1, 1).AddDays(i * 131).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Row(int i, string phone = "13800000000") => $"{Id(i)},居民{i:00},{Residents.Gender(i + 1)},{Birth(i)},{phone}";

    private void WritePersons(IEnumerable<string> rows) => _host.WriteFile("persons.csv", Header + string.Join("\n", rows) + "\n", "GB18030");

    private async Task<SyncResult> SyncAsync()
    {
        var result = await _host.SyncAsync("hukou.source.json");
        Assert.That(result.Succeeded, Is.True, result.Error);
        return result;
    }

    private static (long New, long Updated, long Unchanged, long Deleted, long Quarantined) Counts(SyncResult result) =>
        (result.Counts.New, result.Counts.Updated, result.Counts.Unchanged, result.Counts.Deleted, result.Counts.Quarantined);

    [Test]
    public async Task Every_key_hashing_alike_changes_no_count_and_no_record()
    {
        RowHasher.KeyHashOverride.Value = _ => 42;
        WritePersons(Enumerable.Range(0, 20).Select(i => Row(i)));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((20L, 0L, 0L, 0L, 0L)));

        Assert.That(Counts(await SyncAsync()), Is.EqualTo((0L, 0L, 20L, 0L, 0L)), "nothing changed");

        // Resident 3 moves to a new phone, resident 5 leaves, resident 20 arrives, resident 7 is exported twice alike.
        WritePersons(Enumerable.Range(0, 21).Where(i => i != 5).Select(i => Row(i, i == 3 ? "13900000003" : "13800000000")).Append(Row(7)));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((1L, 1L, 19L, 1L, 0L)));

        var phones = await _host.QueryAsync("SELECT id_number, phone, _deleted FROM pool_person ORDER BY id_number");
        Assert.That(phones.Single(p => (string)p["id_number"]! == Id(3))["phone"], Is.EqualTo("13900000003"));
        Assert.That(phones.Where(p => (string)p["phone"]! == "13900000003").Count(), Is.EqualTo(1), "only resident 3 took the new phone");
        Assert.That(phones.Where(p => Convert.ToInt64(p["_deleted"]) == 1).Select(p => p["id_number"]), Is.EqualTo(new[] { Id(5) }));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_source_records WHERE deleted = 0"), Is.EqualTo(20));
    }

    [Test]
    public async Task A_changed_row_whose_key_hash_collides_is_checked_by_its_real_key()
    {
        // Two residents only, always colliding: the second's row must never be taken for the first's.
        RowHasher.KeyHashOverride.Value = _ => -7;
        WritePersons([Row(1), Row(2)]);
        await SyncAsync();

        WritePersons([Row(1), Row(2, "13700000002")]);
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((0L, 1L, 1L, 0L, 0L)));

        // Back to the first phone, then a conflicting second row for the same key in one export: quarantined as a duplicate key.
        WritePersons([Row(1), Row(2), Row(2, "13600000002")]);
        var result = await SyncAsync();
        Assert.That(Counts(result), Is.EqualTo((0L, 1L, 1L, 0L, 1L)));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE phone = '13800000000'"), Is.EqualTo(2));
    }

    /// <summary>Residents 0…count-1 with distinct keys, a week apart in birth.</summary>
    private static IEnumerable<string> Spread(int count, Func<int, string>? phone = null) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var birth = new DateOnly(1950, 1, 1).AddDays(i * 7).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            return $"{Residents.Id(birth, i % 900 + 1)},居民{i},{Residents.Gender(i + 1)},{birth},{phone?.Invoke(i) ?? "13800000000"}";
        });

    [Test]
    public async Task Keys_spread_over_the_whole_hash_range_are_each_found_unchanged_and_each_change_is_found()
    {
        // Thousands of keys fill hundreds of the stored hashes' directory buckets: each row must find its own.
        WritePersons(Spread(3_000));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((3_000L, 0L, 0L, 0L, 0L)));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((0L, 0L, 3_000L, 0L, 0L)));

        WritePersons(Spread(3_000, i => i % 100 == 0 ? "13900000000" : "13800000000"));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((0L, 30L, 2_970L, 0L, 0L)));
    }

    [Test]
    public async Task Key_hashes_at_both_ends_of_the_range_and_at_zero_are_found()
    {
        // The directory orders buckets by the signed hash: the smallest, the largest, zero and minus one are its edges.
        long[] edges = [long.MinValue, long.MaxValue, 0, -1, 1];
        RowHasher.KeyHashOverride.Value = key => edges[key[^2] % edges.Length];
        WritePersons(Spread(40));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((40L, 0L, 0L, 0L, 0L)));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((0L, 0L, 40L, 0L, 0L)));

        WritePersons(Spread(40, i => i % 4 == 0 ? "13900000000" : "13800000000"));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((0L, 10L, 30L, 0L, 0L)));
    }

    [Test]
    public async Task A_key_repeated_batches_later_in_a_first_sync_is_found_by_what_the_run_inserted()
    {
        // A first sync asks the database about no key that neither the stored hashes nor this run's inserts can hold.
        // Rows past the first batches (2,000 rows) repeat earlier keys: each must still be found, not inserted twice.
        var rows = Spread(2_500).ToList();
        rows.Add(rows[5].Replace("13800000000", "13900000000", StringComparison.Ordinal));
        rows.Add(rows[6]);
        WritePersons(rows);

        var result = await SyncAsync();
        Assert.That(Counts(result), Is.EqualTo((2_500L, 0L, 1L, 0L, 1L)), "the changed repeat is a duplicate key, the exact one adds nothing");
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_source_records"), Is.EqualTo(2_500));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_quarantine WHERE reasons LIKE '%duplicate key%'"), Is.EqualTo(1));
    }

    [Test]
    public async Task More_changed_rows_in_a_batch_than_one_recompute_statement_reads_are_each_updated_once()
    {
        // The changed rows' pool records are read 500 a statement: 600 changes in one batch span two such reads.
        WritePersons(Spread(1_500));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((1_500L, 0L, 0L, 0L, 0L)));

        WritePersons(Spread(1_500, i => i % 5 == 0 ? "13900000000" : "13800000000"));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((0L, 300L, 1_200L, 0L, 0L)));
        WritePersons(Spread(1_500, i => i % 5 == 0 || i % 5 == 1 ? "13700000000" : "13800000000"));
        Assert.That(Counts(await SyncAsync()), Is.EqualTo((0L, 600L, 900L, 0L, 0L)));

        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE phone = '13700000000'"), Is.EqualTo(600));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_history WHERE change = 'updated'"), Is.EqualTo(900), "one history row per change");
    }
}
