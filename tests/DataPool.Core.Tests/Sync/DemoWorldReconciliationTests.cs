using System.Text.Json;
using DataPool.Demo.Seeding;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Sync;

/// <summary>The committed demo world, synced for real: every injected bad row quarantined where expected.json says, nothing else lost.</summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class DemoWorldReconciliationTests(string store)
{
    private PoolTestHost _host = null!;
    private DemoWorldSummary _expected = null!;
    private readonly Dictionary<string, SyncResult> _results = [];

    [OneTimeSetUp]
    public async Task SyncTheDemoWorldTwice()
    {
        _host = await PoolTestHost.CreateAsync(store);
        var seeds = Path.Combine(Path.GetDirectoryName(Schema.SchemaCatalog.Locate())!, "seeds");
        _expected = DemoWorldGenerator.ReadSummary(Path.Combine(seeds, DemoWorldGenerator.ExpectedFile));
        var loader = _host.Services.GetRequiredService<SourceDefinitionLoader>();
        var registry = _host.Services.GetRequiredService<SourceRegistry>();
        var runner = _host.Services.GetRequiredService<SyncRunner>();
        // The generated world's sources (expected.json); the health API needs the simulator and has its own tests.
        var sources = _expected.Sources.Select(s => loader.Load(Path.Combine(seeds, s.Definition))).ToList();
        foreach (var source in sources)
        {
            await registry.UpsertAsync(source);
        }

        foreach (var source in sources)
        {
            _results[source.Definition.Id] = await runner.RunAsync(source.Definition.Id);
        }

        foreach (var source in sources)
        {
            _results[source.Definition.Id + "#2"] = await runner.RunAsync(source.Definition.Id);
        }
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private static IEnumerable<string> SourceIds() =>
        DemoWorldGenerator.ReadSummary(Path.Combine(Path.GetDirectoryName(Schema.SchemaCatalog.Locate())!, "seeds", DemoWorldGenerator.ExpectedFile)).Sources.Select(s => s.Id);

    [TestCaseSource(nameof(SourceIds))]
    public async Task Every_stream_reconciles_and_quarantines_exactly_the_injected_bad_rows(string sourceId)
    {
        var result = _results[sourceId];
        Assert.That(result.Succeeded, Is.True, result.Error);
        var expected = _expected.Sources.Single(s => s.Id == sourceId);
        Assert.That(result.Counts.Read, Is.EqualTo(result.Counts.Accepted + result.Counts.Quarantined));
        Assert.That(result.Counts.Read, Is.EqualTo(expected.ExpectedRead));
        Assert.That(result.Counts.Quarantined, Is.EqualTo(expected.ExpectedQuarantined));

        var details = JsonDocument.Parse((string)(await _host.QueryAsync("SELECT details FROM dp_runs WHERE id = @id", ("@id", result.RunId))).Single()["details"]!).RootElement;
        foreach (var stream in expected.Streams)
        {
            Assert.That(details.GetProperty(stream.Name).GetProperty("read").GetInt64(), Is.EqualTo(stream.Read), stream.Name);
            Assert.That(details.GetProperty(stream.Name).GetProperty("quarantined").GetInt64(), Is.EqualTo(stream.Quarantined), stream.Name);
            var entries = await _host.QueryAsync("SELECT location, source_key FROM dp_quarantine WHERE source_id = @s AND stream = @t", ("@s", sourceId), ("@t", stream.Name));
            var locations = entries.Select(r => (string)r["location"]!).ToHashSet();
            var keys = entries.Select(r => r["source_key"] as string).ToHashSet();
            // The same bad row repeated (a household's cells on each member's line of the ledger) is one entry, at its last place.
            Assert.That(stream.BadRows.Where(b => !locations.Contains(b.Location) && !keys.Contains(b.Key)).Select(b => b.Location), Is.Empty,
                $"{stream.Name}: every injected bad row is quarantined where it is, or as the same row as another");
        }
    }

    [TestCaseSource(nameof(SourceIds))]
    public void A_second_sync_reports_every_accepted_row_unchanged(string sourceId)
    {
        var again = _results[sourceId + "#2"];
        Assert.That(again.Succeeded, Is.True, again.Error);
        Assert.That((again.Counts.New, again.Counts.Updated, again.Counts.Deleted), Is.EqualTo((0L, 0L, 0L)));
        var incremental = _expected.Sources.Single(s => s.Id == sourceId).Kind == "sql";
        // An incremental source re-reads only rows past its cursor: nothing, the second time.
        Assert.That(again.Counts.Unchanged, Is.EqualTo(incremental ? 0 : _results[sourceId].Counts.Accepted));
        Assert.That(again.Counts.Read, incremental ? Is.Zero : Is.EqualTo(_results[sourceId].Counts.Read));
    }

    [Test]
    public async Task Departments_agree_on_one_pool_person_per_resident()
    {
        var persons = await _host.CountAsync("SELECT COUNT(*) FROM pool_person");
        var withId = await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE id_number IS NOT NULL");
        var distinctIds = await _host.CountAsync("SELECT COUNT(DISTINCT id_number) FROM pool_person");
        Assert.That(withId, Is.EqualTo(distinctIds), "one person per ID number");
        // The visit log writes no ID numbers: a row the matcher cannot link for sure (written by ear, or a resident whose
        // register row was quarantined) becomes a person of its own, known to no other source.
        var withoutId = await _host.CountAsync(
            "SELECT COUNT(*) FROM pool_person p WHERE p.id_number IS NULL AND NOT EXISTS (SELECT 1 FROM dp_source_records r WHERE r.pool_id = p.pool_id AND r.entity = 'person' AND r.source_id <> 'visits')");
        Assert.That(persons - withId, Is.EqualTo(withoutId), "only the visit log's unlinked rows are persons without an ID number");
        var pending = await _host.CountAsync("SELECT COUNT(*) FROM dp_match_reviews WHERE status = 'pending'");
        Assert.That(pending, Is.EqualTo(_expected.Sources.Single(s => s.Id == "visits").Dirt["written_by_ear"]), "each row written by ear waits for review");
        Assert.That(withoutId, Is.GreaterThanOrEqualTo(pending));
        Assert.That(persons, Is.GreaterThanOrEqualTo(_expected.Persons - 150).And.LessThanOrEqualTo(_expected.Persons), "about every resident, less the rows too broken to link");
        var linkedTwice = await _host.CountAsync("SELECT COUNT(*) FROM (SELECT pool_id FROM dp_source_records WHERE entity = 'person' GROUP BY pool_id HAVING COUNT(DISTINCT source_id) > 1) AS linked");
        Assert.That(linkedTwice, Is.GreaterThan(1000), "the ledger and the federation link to the household register's residents");
    }
}
