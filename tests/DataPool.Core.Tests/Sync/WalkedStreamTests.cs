using System.Globalization;
using System.Runtime.CompilerServices;
using DataPool.Abstractions;
using DataPool.Connectors.Csv;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Sync;

/// <summary>
/// A full stream with more stored records than <see cref="SyncOptions.StoredHashesInMemory"/> is walked: its hashes
/// sorted on disk, its rows kept in a sealed spill for the second read (or read from the source again, when told).
/// Here the bound is 0 and a sorted run holds 7 entries, so every re-sync walks and spills, and each must end exactly
/// as the same run with the hashes in memory: counts, records, pool and quarantine.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class WalkedStreamTests(string store)
{
    private const string Header = "户籍人口登记表（测试）\n身份证号,姓名,性别,出生日期,电话\n";
    private PoolTestHost _inMemory = null!;
    private PoolTestHost _walked = null!;
    private RereadingConnector _connector = null!;

    [SetUp]
    public async Task SetUp()
    {
        _connector = new RereadingConnector();
        _inMemory = await PoolTestHost.CreateAsync(store);
        _inMemory.WriteFile("hukou.source.json", HukouDefinitions.CsvSource(headerRow: 2, maxDeleteShare: "0.5", flagBadPhone: false));
        _walked = await WalkedHostAsync(rereadsSource: false);
    }

    /// <summary>A pool that walks every full stream, through <see cref="_connector"/>.</summary>
    private async Task<PoolTestHost> WalkedHostAsync(bool rereadsSource)
    {
        var host = await PoolTestHost.CreateAsync(store, configure: services =>
        {
            services.Configure<SyncOptions>(o => (o.StoredHashesInMemory, o.WalkRunRecords, o.WalkRereadsSource) = (0, 7, rereadsSource));
            services.Remove(services.Single(d => d.ImplementationType == typeof(CsvConnector)));
            services.AddSingleton<IConnector>(_connector);
        });
        host.WriteFile("hukou.source.json", HukouDefinitions.CsvSource(headerRow: 2, maxDeleteShare: "0.5", flagBadPhone: false));
        return host;
    }

    [TearDown]
    public async Task TearDown()
    {
        await _inMemory.DisposeAsync();
        await _walked.DisposeAsync();
    }

    private static string Birth(int i) => new DateOnly(1950, 1, 1).AddDays(i * 7).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Row(int i, string phone = "13800000000") => $"{Residents.Id(Birth(i), i % 900 + 1)},居民{i},{Residents.Gender(i + 1)},{Birth(i)},{phone}";

    private static string Export(IEnumerable<string> rows) => Header + string.Join("\n", rows) + "\n";

    private static (bool, long, long, long, long, long) Outcome(SyncResult result) =>
        (result.Succeeded, result.Counts.New, result.Counts.Updated, result.Counts.Unchanged, result.Counts.Deleted, result.Counts.Quarantined);

    /// <summary>Syncs the same export in both pools; both must come out alike. Returns the walked pool's outcome.</summary>
    private async Task<(bool, long, long, long, long, long)> BothAsync(IEnumerable<string> rows)
    {
        var text = Export(rows);
        _inMemory.WriteFile("persons.csv", text, "GB18030");
        _walked.WriteFile("persons.csv", text, "GB18030");
        var expected = Outcome(await _inMemory.SyncAsync("hukou.source.json"));
        var walked = Outcome(await _walked.SyncAsync("hukou.source.json"));
        Assert.That(walked, Is.EqualTo(expected), "the walked run counts as the in-memory one");
        return walked;
    }

    private static async Task<List<string>> StateAsync(PoolTestHost host)
    {
        var records = await host.QueryAsync("SELECT source_key, row_hash, deleted FROM dp_source_records ORDER BY source_key");
        var pool = await host.QueryAsync("SELECT id_number, name, phone, _deleted FROM pool_person ORDER BY id_number");
        var quarantine = await host.QueryAsync("SELECT source_key, status, reasons FROM dp_quarantine ORDER BY source_key, reasons");
        return [.. new[] { records, pool, quarantine }.SelectMany(rows => rows).Select(row => string.Join("|", row.Values))];
    }

    [Test]
    public async Task A_walked_re_sync_ends_as_the_same_run_with_its_hashes_in_memory()
    {
        var persons = Enumerable.Range(0, 300).ToList();
        Assert.That(await BothAsync(persons.Select(i => Row(i))), Is.EqualTo((true, 300L, 0L, 0L, 0L, 0L)));
        Assert.That(await BothAsync(persons.Select(i => Row(i))), Is.EqualTo((true, 0L, 0L, 300L, 0L, 0L)), "nothing changed");

        // Six move to a new phone, three leave, four arrive; one is exported twice alike, one twice with other values,
        // one with an impossible birth date (its last good record stays) and one cut short (kept, not deleted).
        var changed = persons.Where(i => i is < 10 or > 12).Concat(Enumerable.Range(300, 4))
            .Select(i => i switch
            {
                22 => Row(22).Replace($",{Birth(22)},", ",19991399,", StringComparison.Ordinal),
                23 => Row(23)[..Row(23).LastIndexOf(',')],
                _ => Row(i, i % 50 == 0 ? "13900000000" : "13800000000"),
            })
            .Append(Row(20)).Append(Row(21, "13700000000")).ToList();
        Assert.That(await BothAsync(changed), Is.EqualTo((true, 4L, 6L, 290L, 3L, 3L)), "the exact duplicate counts as unchanged");
        Assert.That(await _walked.CountAsync("SELECT COUNT(*) FROM dp_source_records WHERE deleted = 1"), Is.EqualTo(3), "the bad and the cut-short rows keep their records");

        // One who left comes back; the bad rows are fixed.
        var back = persons.Where(i => i is not (11 or 12)).Concat(Enumerable.Range(300, 4)).Select(i => Row(i, i % 50 == 0 ? "13900000000" : "13800000000"));
        Assert.That(await BothAsync(back), Is.EqualTo((true, 0L, 1L, 301L, 0L, 0L)));

        Assert.That(await StateAsync(_walked), Is.EqualTo(await StateAsync(_inMemory)));
    }

    [Test]
    public async Task A_walked_re_sync_that_would_delete_past_the_guard_deletes_nothing()
    {
        var persons = Enumerable.Range(0, 100).ToList();
        await BothAsync(persons.Select(i => Row(i)));

        var outcome = await BothAsync(persons.Take(40).Select(i => Row(i)));
        Assert.That(outcome.Item1, Is.False, "60% gone is past the source's guard of 50%");
        Assert.That(await _walked.CountAsync("SELECT COUNT(*) FROM dp_source_records WHERE deleted = 0"), Is.EqualTo(100));
        Assert.That(await StateAsync(_walked), Is.EqualTo(await StateAsync(_inMemory)));
    }

    /// <summary>
    /// Syncs 50 persons, then again while the department's export job rewrites the file between the walk's two reads
    /// (person 7 gets a new phone). Returns that run, the reads of the source it made, and the state before it.
    /// </summary>
    private async Task<(SyncResult Result, int Reads, List<string> Before)> RewrittenBetweenReadsAsync(PoolTestHost host)
    {
        var persons = Enumerable.Range(0, 50).ToList();
        host.WriteFile("persons.csv", Export(persons.Select(i => Row(i))), "GB18030");
        Assert.That((await host.SyncAsync("hukou.source.json")).Succeeded, Is.True);
        var before = await StateAsync(host);

        _connector.AfterNextRead = () => host.WriteFile("persons.csv", Export(persons.Select(i => Row(i, i == 7 ? "13900000007" : "13800000000"))), "GB18030");
        var reads = _connector.Reads;
        var result = await host.SyncAsync("hukou.source.json");
        return (result, _connector.Reads - reads, before);
    }

    [Test]
    public async Task An_export_rewritten_between_the_two_reads_is_worked_as_the_walk_read_it_and_read_once()
    {
        var (result, reads, before) = await RewrittenBetweenReadsAsync(_walked);

        // The run works the rows it walked, kept in its spill, and leaves the rewrite to the next run.
        Assert.That((result.Succeeded, result.Counts.Updated, result.Counts.Unchanged), Is.EqualTo((true, 0L, 50L)), result.Error);
        Assert.That(reads, Is.EqualTo(1), "the source is read once");
        Assert.That(await StateAsync(_walked), Is.EqualTo(before), "the pool holds what the walk read");

        var next = await _walked.SyncAsync("hukou.source.json");
        Assert.That((next.Succeeded, next.Counts.Updated, next.Counts.Unchanged), Is.EqualTo((true, 1L, 49L)), "the next run finds the rewrite");
    }

    [Test]
    public async Task Reading_the_source_again_an_export_rewritten_between_its_two_reads_fails_the_run_and_changes_nothing()
    {
        await using var rereading = await WalkedHostAsync(rereadsSource: true);
        var (result, reads, before) = await RewrittenBetweenReadsAsync(rereading);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Error, Does.Contain("changed while it was read"));
        Assert.That(reads, Is.EqualTo(2), "the second read went back to the source");
        Assert.That(await StateAsync(rereading), Is.EqualTo(before), "nothing changed");

        var again = await rereading.SyncAsync("hukou.source.json");
        Assert.That((again.Succeeded, again.Counts.Updated, again.Counts.Unchanged), Is.EqualTo((true, 1L, 49L)), "run again once the file holds still");
    }

    [Test]
    public async Task A_walked_run_reports_its_two_reads_as_phases_of_one_stream()
    {
        var persons = Enumerable.Range(0, 30).Select(i => Row(i)).ToList();
        _walked.WriteFile("persons.csv", Export(persons), "GB18030");
        await _walked.SyncAsync("hukou.source.json");

        var reports = new List<SyncProgress>();
        var result = await _walked.Services.GetRequiredService<SyncRunner>().RunAsync("hukou", "manual", new Collect(reports));

        Assert.That(result.Succeeded, Is.True, result.Error);
        var phases = reports.Select(r => (r.Run!.Phase, r.Run.StreamIndex)).Distinct().ToList();
        Assert.That(phases, Is.EqualTo(new (string?, int)[] { (RunProgress.Walking, 1), (RunProgress.Applying, 1) }));
        Assert.That(reports[^1].Read, Is.EqualTo(30), "the second read counts the stream's rows afresh");
        var last = reports[^1].Run!;
        Assert.That((last.Unit, last.Total, last.Position), Is.EqualTo(("rows", (long?)30, (long?)30)), "the second pass counts the kept rows against the first read's");
    }

    /// <summary>Every report, in order, on the reporting thread (<see cref="Progress{T}"/> would post them elsewhere).</summary>
    private sealed class Collect(List<SyncProgress> reports) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => reports.Add(value);
    }

    /// <summary>The CSV connector, with a hook run once after a read has delivered every row.</summary>
    private sealed class RereadingConnector : IConnector
    {
        private readonly CsvConnector _csv = new();

        public Action? AfterNextRead { get; set; }

        /// <summary>Reads begun.</summary>
        public int Reads { get; private set; }

        public string Kind => _csv.Kind;

        public async IAsyncEnumerable<RawRow> ReadAsync(ConnectorContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Reads++;
            await foreach (var row in _csv.ReadAsync(context, cancellationToken))
            {
                yield return row;
            }

            var after = AfterNextRead;
            AfterNextRead = null;
            after?.Invoke();
        }
    }
}
