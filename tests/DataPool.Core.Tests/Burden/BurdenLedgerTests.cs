using System.Globalization;
using System.Text.Json;
using DataPool.Core.Burden;
using DataPool.Core.Certificates;
using DataPool.Core.Forms;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Burden;

/// <summary>
/// The burden ledger on the demo world (household register, civil affairs, disability, veterans):
/// 44 legacy forms → 1 unified form + 7 generated reports, and the entries before and after recomputed here, by other
/// means, from the catalog file and the pool's rows.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class BurdenLedgerTests(string store)
{
    private static readonly string[] DemoSources =
        ["hukou/hukou.source.json", "civil-affairs/civil-affairs.source.json", "disability/disability.source.json", "veterans/veterans.source.json"];

    private static readonly BurdenRates Rates = new() { SecondsPerEntry = 30, SecondsPerCertificate = 600 };

    private PoolTestHost _host = null!;
    private BurdenSummary _summary = null!;
    private FormDefinition _form = null!;

    [OneTimeSetUp]
    public async Task BuildTheDemoPool()
    {
        _host = await PoolTestHost.CreateAsync(store);
        var seeds = Path.Combine(Path.GetDirectoryName(SchemaCatalog.Locate())!, "seeds");
        foreach (var file in DemoSources)
        {
            var source = _host.Services.GetRequiredService<SourceDefinitionLoader>().Load(Path.Combine(seeds, file));
            await _host.Services.GetRequiredService<SourceRegistry>().UpsertAsync(source);
            Assert.That((await _host.Services.GetRequiredService<SyncRunner>().RunAsync(source.Definition.Id)).Succeeded, file);
        }

        var schema = _host.Database.Catalog;
        var catalog = LegacyFormCatalog.Load(schema.Root, schema);
        _form = UnifiedForm.Load(schema.Root, schema, catalog);
        _summary = await new BurdenLedger(_host.Database, catalog, _form, CertificateCatalog.Load(schema.Root), Rates).ComputeAsync();
    }

    [OneTimeTearDown]
    public async Task Dispose() => await _host.DisposeAsync();

    [Test]
    public void Forty_four_legacy_forms_become_one_unified_form_and_seven_generated_reports()
    {
        Assert.That(_summary.LegacyForms, Is.EqualTo(44));
        Assert.That(_summary.UnifiedForms, Is.EqualTo(1));
        Assert.That(_summary.GeneratedReports, Is.EqualTo(7));
        Assert.That(_summary.Retired + _summary.Remaining + _summary.GeneratedReports, Is.EqualTo(44));
        Assert.That(_summary.Retired, Is.EqualTo(37), "every other form's fields are served by the pool or the unified form");
        Assert.That(_summary.Forms.Where(f => f.Status == "report").Select(f => f.Report), Has.None.Null);
        Assert.That(_summary.EntriesPerHouseholdBefore, Is.GreaterThan(_summary.EntriesPerHouseholdAfter * 5));
        Assert.That(_summary.EntriesPerHouseholdAfter, Is.GreaterThan(0), "the pool cannot fill everything: resident and dwelling details remain");
    }

    [Test]
    public async Task Certificates_before_are_every_catalog_kind_and_after_only_the_four_issued_per_community_and_in_total()
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(SchemaCatalog.Locate(), "certificates", "catalog.json")));
        var kinds = document.RootElement.GetProperty("certificates").EnumerateArray().ToList();
        var perCommunityBefore = kinds.Sum(k => k.GetProperty("perYear").GetDecimal());
        var perCommunityAfter = kinds.Where(k => k.GetProperty("replacement").GetString() == "issued").Sum(k => k.GetProperty("perYear").GetDecimal());
        Assert.That(_summary.CertificateKindsBefore, Is.EqualTo(kinds.Count));
        Assert.That(_summary.CertificateKindsIssued, Is.EqualTo(4));
        Assert.That(_summary.Communities, Has.Count.EqualTo(3));
        Assert.That(_summary.CertificatesPerYearBefore, Is.EqualTo(perCommunityBefore * 3));
        Assert.That(_summary.CertificatesPerYearAfter, Is.EqualTo(perCommunityAfter * 3));
        Assert.That(_summary.Communities.Select(c => c.CertificatesBefore), Has.All.EqualTo(perCommunityBefore));
        Assert.That(_summary.Certificates!.Where(c => c.PerYearAfter > 0).Select(c => c.Replacement), Has.All.EqualTo("issued"));
    }

    [Test]
    public void Hours_saved_are_entries_and_certificates_saved_times_their_configured_seconds()
    {
        foreach (var community in _summary.Communities)
        {
            var seconds = (community.EntriesBefore - community.EntriesAfter) * Rates.SecondsPerEntry
                + (community.CertificatesBefore - community.CertificatesAfter) * Rates.SecondsPerCertificate;
            Assert.That(community.HoursSavedPerYear, Is.EqualTo(Math.Round(seconds / 3600m, 1, MidpointRounding.AwayFromZero)), community.Code);
        }

        Assert.That(_summary.HoursSavedPerYear, Is.EqualTo(_summary.Communities.Sum(c => c.HoursSavedPerYear)));
        Assert.That(_summary.HoursSavedPerYear, Is.GreaterThan(0));
        Assert.That((_summary.SecondsPerEntry, _summary.SecondsPerCertificate), Is.EqualTo((30, 600)), "the basis is stated with the figure");
    }

    [Test]
    public async Task Entries_before_are_the_catalog_fields_times_how_often_times_whom_for()
    {
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(SchemaCatalog.Locate(), "legacy-forms", "catalog.json")));
        var households = await CountsAsync("SELECT community_code, COUNT(*) FROM pool_household WHERE _deleted = 0 GROUP BY community_code");
        var persons = await CountsAsync("SELECT community_code, COUNT(*) FROM pool_person WHERE _deleted = 0 GROUP BY community_code");
        Assert.That(households, Has.Count.EqualTo(3));
        decimal totalBefore = 0;
        foreach (var (community, householdCount) in households)
        {
            decimal expected = 0;
            foreach (var form in document.RootElement.GetProperty("forms").EnumerateArray())
            {
                var entries = form.GetProperty("perYear").GetDecimal() * form.GetProperty("fields").GetArrayLength();
                var applies = form.TryGetProperty("appliesTo", out var entity) ? entity.GetString() : null;
                var scope = form.GetProperty("scope").GetString();
                decimal times = scope switch
                {
                    "community" => 1,
                    "household" when applies is null => householdCount,
                    "person" when applies is null => persons[community],
                    "household" => await CountAsync($"SELECT COUNT(DISTINCT p.household_no) FROM pool_{applies} x JOIN pool_person p ON p.id_number = x.id_number AND p._deleted = 0 WHERE x._deleted = 0 AND p.community_code = @c", community),
                    _ => await CountAsync($"SELECT COUNT(*) FROM pool_{applies} x JOIN pool_person p ON p.id_number = x.id_number AND p._deleted = 0 WHERE x._deleted = 0 AND p.community_code = @c", community),
                };
                expected += entries * times;
            }

            var row = _summary.Communities.Single(c => c.Code == community);
            Assert.That(row.Households, Is.EqualTo((long)householdCount));
            Assert.That(row.EntriesBefore, Is.EqualTo(expected), community);
            totalBefore += expected;
        }

        Assert.That(_summary.EntriesPerHouseholdBefore, Is.EqualTo(Math.Round(totalBefore / households.Values.Sum(), 1, MidpointRounding.AwayFromZero)));
    }

    [Test]
    public async Task Entries_after_are_the_editable_form_fields_the_pool_holds_no_value_for()
    {
        // Row by row in memory, where the ledger aggregates in SQL.
        var rows = new Dictionary<string, List<Dictionary<string, object?>>>();
        foreach (var entity in new[] { "household", "dwelling", "person", "resident", "elderly", "disability", "social_assistance", "employment", "family_doctor", "special_care", "guardianship", "land_contract" })
        {
            rows[entity] = await _host.QueryAsync($"SELECT * FROM pool_{entity} WHERE _deleted = 0");
        }

        var personCommunity = rows["person"].Where(p => p["id_number"] is not null).ToDictionary(p => (string)p["id_number"]!, p => p["community_code"] as string);
        var expected = new Dictionary<string, decimal>();
        void Count(string? community, IEnumerable<FormField> fields, Func<FormField, object?> value)
        {
            if (community is not null)
            {
                expected[community] = expected.GetValueOrDefault(community) + fields.Count(f => !f.ReadOnly && value(f) is null);
            }
        }

        var dwellings = rows["dwelling"].ToDictionary(d => (string)d["household_no"]!);
        foreach (var household in rows["household"])
        {
            var dwelling = dwellings.GetValueOrDefault((string)household["household_no"]!);
            Count(household["community_code"] as string, _form.Sections.Where(s => s.Id is "household" or "housing").SelectMany(s => s.Fields),
                f => f.Entity == "dwelling" ? dwelling?.GetValueOrDefault(f.Field) : household[f.Field]);
        }

        var residents = rows["resident"].ToDictionary(r => (string)r["id_number"]!);
        foreach (var person in rows["person"])
        {
            var resident = person["id_number"] is string id ? residents.GetValueOrDefault(id) : null;
            Count(person["community_code"] as string, _form.Section("members").Fields, f => f.Entity == "resident" ? resident?.GetValueOrDefault(f.Field) : person[f.Field]);
        }

        foreach (var section in _form.Sections.Where(s => s.PerMember))
        {
            foreach (var record in rows[section.Entity])
            {
                Count(personCommunity.GetValueOrDefault((string)record["id_number"]!), section.Fields, f => record[f.Field]);
            }
        }

        foreach (var community in _summary.Communities)
        {
            Assert.That(community.EntriesAfter, Is.EqualTo(expected[community.Code]), community.Code);
            Assert.That(community.EntriesBefore, Is.GreaterThan(community.EntriesAfter));
        }
    }

    private async Task<Dictionary<string, decimal>> CountsAsync(string sql) =>
        (await _host.QueryAsync(sql)).Where(r => r["community_code"] is not null)
            .ToDictionary(r => (string)r["community_code"]!, r => Convert.ToDecimal(r.Values.Last(), CultureInfo.InvariantCulture));

    private async Task<decimal> CountAsync(string sql, string community) => await _host.CountAsync(sql, ("@c", community));
}
