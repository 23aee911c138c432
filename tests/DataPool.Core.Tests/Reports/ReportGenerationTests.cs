using System.Globalization;
using System.Text;
using System.Text.Json;
using DataPool.Core.Access;
using DataPool.Core.Reports;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Reports;

/// <summary>
/// The seven required reports generated from the demo world's pool, on each store, read back by openpyxl and as CSV,
/// their totals checked against direct SQL over the pool, and their numbers traced to the records behind them.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class ReportGenerationTests(string store)
{
    public static readonly string[] SevenReports =
        ["population-monthly", "elderly-allowance", "dibao-roster", "disability-category-grade", "registered-unemployed", "special-care", "household-composition"];

    private ReportPool _pool = null!;
    private readonly Dictionary<string, ReportRun> _runs = [];
    private readonly Dictionary<long, JsonElement> _sheets = [];

    [OneTimeSetUp]
    public async Task BuildThePoolAndGenerateEveryReport()
    {
        _pool = await ReportPool.CreateAsync(store);
        foreach (var id in SevenReports)
        {
            _runs[id] = await _pool.Generator.RunAsync(id, "test");
        }
    }

    [OneTimeTearDown]
    public async Task Dispose() => await _pool.DisposeAsync();

    /// <summary>A run's workbook as openpyxl reads it; read once per run (a python start per read adds up).</summary>
    private JsonElement Sheet(ReportRun run)
    {
        if (!_sheets.TryGetValue(run.Id, out var sheet))
        {
            _sheets[run.Id] = sheet = ReportPool.ReadXlsx(_pool.Archive.FullPath(run.XlsxFile!));
        }

        return sheet;
    }

    /// <summary>
    /// "Run now" records a run before generating it in the background; a server stopping mid-run must not leave it
    /// "running" for ever (the page would poll it without end, and retention never removes a running run).
    /// </summary>
    [Test]
    public async Task A_report_run_stopped_before_it_finished_ends_failed_not_running()
    {
        var runId = await _pool.Generator.StartAsync("population-monthly", "test");
        Assert.That((await ReportRuns.GetAsync(_pool.Database, runId))!.Status, Is.EqualTo(ReportRuns.Running), "readable as running at once");

        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        Assert.CatchAsync<OperationCanceledException>(() => _pool.Generator.CompleteAsync("population-monthly", runId, stopping.Token));

        var run = (await ReportRuns.GetAsync(_pool.Database, runId))!;
        Assert.That((run.Status, run.FinishedAt is null), Is.EqualTo((ReportRuns.Failed, false)));
        Assert.That(run.Error, Does.Contain("cancelled"));
    }

    [Test]
    public void The_seven_reports_are_defined() =>
        Assert.That(_pool.Reports.Reports.Keys, Is.SupersetOf(SevenReports));

    [TestCaseSource(nameof(SevenReports))]
    public async Task Totals_read_back_by_openpyxl_and_from_the_csv_equal_a_direct_count(string id)
    {
        var run = _runs[id];
        Assert.That(run.Succeeded, Is.True, run.Error);
        var definition = _pool.Reports.Get(id);
        var expected = await DirectTotalsAsync(id, DateTimeOffset.Parse(run.AsOf!, CultureInfo.InvariantCulture));
        Assert.That(expected.Values.First(), Is.GreaterThan(0), "the demo world has records for every report");

        var sheet = Sheet(run);
        var rows = sheet.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().ToList()).ToList();
        Assert.That(rows[0][0].GetString(), Is.EqualTo($"{definition.Title.Zh} {definition.Title.En}"));
        Assert.That(rows[2].Select(c => c.GetString()), Is.EqualTo(definition.GroupBy.Select(g => g.Label!.Zh).Concat(definition.Measures.Select(m => m.Label.Zh))));
        Assert.That(rows, Has.Count.EqualTo(ReportSheet.FirstDataRow + run.Rows!.Value), "title, as-of line, header, one row per group, totals");
        var totals = rows[^1];
        Assert.That(totals[0].GetString(), Is.EqualTo("合计"));

        var csv = File.ReadAllBytes(_pool.Archive.FullPath(run.CsvFile!));
        Assert.That(csv.Take(3), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with BOM, so Excel reads the Chinese");
        var csvLines = Encoding.UTF8.GetString(csv, 3, csv.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(csvLines, Has.Length.EqualTo(1 + run.Rows.Value + 1));
        var csvTotals = csvLines[^1].Split(',');

        foreach (var (measure, value) in expected)
        {
            var column = definition.GroupBy.Count + definition.Measures.ToList().FindIndex(m => m.Id == measure);
            Assert.That((decimal)totals[column].GetDouble(), Is.EqualTo(value).Within(0.005m), $"{id}.{measure} in the xlsx totals row");
            Assert.That(decimal.Parse(csvTotals[column], CultureInfo.InvariantCulture), Is.EqualTo(value).Within(0.005m), $"{id}.{measure} in the CSV totals line");
            if (definition.Measures.First(m => m.Id == measure).Agg is "count" or "sum")
            {
                var groupSum = rows.Skip(ReportSheet.FirstDataRow - 1).SkipLast(1).Sum(r => r[column].ValueKind == JsonValueKind.Number ? (decimal)r[column].GetDouble() : 0m);
                Assert.That(groupSum, Is.EqualTo(value).Within(0.005m), $"{id}.{measure}: the groups add up to the total");
            }
        }
    }

    [TestCaseSource(nameof(SevenReports))]
    public void The_workbook_is_styled_for_print(string id)
    {
        var run = _runs[id];
        var definition = _pool.Reports.Get(id);
        var sheet = Sheet(run);
        var lastColumn = ReportSheet.ColumnName(definition.GroupBy.Count + definition.Measures.Count - 1);
        Assert.That(sheet.GetProperty("merged").EnumerateArray().Select(m => m.GetString()), Does.Contain($"A1:{lastColumn}1"), "title merged over the table");
        Assert.That(sheet.GetProperty("freeze").GetString(), Is.EqualTo("A4"), "header rows frozen");
        Assert.That(sheet.GetProperty("orientation").GetString(), Is.EqualTo("landscape"));
        Assert.That(sheet.GetProperty("fitToPage").GetBoolean(), Is.True);
        // One page wide (an absent fitToWidth means 1), as many pages tall as it takes.
        Assert.That(sheet.GetProperty("fitToWidth") is { ValueKind: JsonValueKind.Null } || sheet.GetProperty("fitToWidth").GetInt32() == 1, Is.True);
        Assert.That(sheet.GetProperty("fitToHeight").GetInt32(), Is.EqualTo(0));
        Assert.That(sheet.GetProperty("titleRows").GetString(), Is.EqualTo("1:3"), "title and header repeat on every printed page");
        Assert.That(sheet.GetProperty("bold").EnumerateArray().All(b => b.GetBoolean()), Is.True, "header bold");
        var formats = sheet.GetProperty("formats").EnumerateArray().Last().EnumerateArray().Select(f => f.GetString()).ToList();
        for (var m = 0; m < definition.Measures.Count; m++)
        {
            Assert.That(formats[definition.GroupBy.Count + m], Is.EqualTo(definition.Measures[m].Format ?? (definition.Measures[m].Agg == "count" ? "#,##0" : "#,##0.00")));
        }

        var widths = sheet.GetProperty("widths");
        var header = definition.Measures[0].Label.Zh;
        Assert.That(widths.GetProperty(ReportSheet.ColumnName(definition.GroupBy.Count)).GetDouble(), Is.GreaterThanOrEqualTo(ReportSheet.DisplayWidth(header)),
            "a column is as wide as its Chinese header, counting each character twice");
    }

    [TestCaseSource(nameof(SevenReports))]
    public async Task Every_number_traces_to_as_many_records(string id)
    {
        var run = _runs[id];
        var definition = _pool.Reports.Get(id);
        var count = definition.Measures.Select((m, i) => (m, i)).First(x => x.m.Agg == "count");
        var column = ReportSheet.ColumnName(definition.GroupBy.Count + count.i);
        var sheet = Sheet(run);
        var rows = sheet.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().ToList()).ToList();
        var traced = new HashSet<long>();
        for (var r = ReportSheet.FirstDataRow; r <= rows.Count; r++)
        {
            var reference = column + r.ToString(CultureInfo.InvariantCulture);
            var trace = await ReportRuns.TraceAsync(_pool.Database, _pool.Reports, run, reference, 0, 100_000);
            Assert.That(trace, Is.Not.Null, reference);
            Assert.That(trace!.Records, Is.EqualTo((long)rows[r - 1][definition.GroupBy.Count + count.i].GetDouble()), $"{id} {reference}");
            Assert.That(trace.PoolIds, Has.Count.EqualTo(trace.Records));
            if (r < rows.Count)
            {
                Assert.That(trace.PoolIds.Any(traced.Contains), Is.False, "groups do not overlap");
                traced.UnionWith(trace.PoolIds);
            }
            else
            {
                Assert.That(trace.PoolIds, Is.EquivalentTo(traced), "the totals cell is every group's records");
            }
        }

        var ids = await _pool.RowsAsync($"SELECT pool_id FROM pool_{definition.Entity} WHERE _deleted = 0");
        Assert.That(traced.IsSubsetOf(ids.Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture))), Is.True, "the ids are records of the report's entity");
    }

    [Test]
    public async Task A_run_records_its_snapshot_and_a_label_cell_traces_to_nothing()
    {
        var run = _runs["population-monthly"];
        var lastSync = await _pool.RowsAsync("SELECT MAX(id) FROM dp_runs WHERE status = 'succeeded'");
        Assert.That(run.SnapshotRunId, Is.EqualTo(Convert.ToInt64(lastSync[0][0], CultureInfo.InvariantCulture)));
        Assert.That(DateTimeOffset.Parse(run.AsOf!, CultureInfo.InvariantCulture), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(10)));
        Assert.That(await ReportRuns.TraceAsync(_pool.Database, _pool.Reports, run, "A4", 0, 10), Is.Null, "a group label is not a number");
        Assert.That(await ReportRuns.TraceAsync(_pool.Database, _pool.Reports, run, "C9999", 0, 10), Is.Null);
        var page = await ReportRuns.TraceAsync(_pool.Database, _pool.Reports, run, "C4", 5, 3);
        var all = await ReportRuns.TraceAsync(_pool.Database, _pool.Reports, run, "C4", 0, 100_000);
        Assert.That(page!.PoolIds, Is.EqualTo(all!.PoolIds.Skip(5).Take(3)), "paged");
    }

    [Test]
    public async Task A_roster_shows_personal_values_as_its_departments_grants_do()
    {
        var run = _runs["dibao-roster"];
        var definition = _pool.Reports.Get("dibao-roster");
        var access = _pool.Services.GetRequiredService<IPoolAccess>();
        var viewer = new Viewer("report", "analyst", definition.Department, null);
        var rows = Sheet(run).GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().ToList()).ToList();
        var shown = rows.Skip(ReportSheet.FirstDataRow - 1).SkipLast(1).ToList();
        Assert.That(shown, Is.Not.Empty);
        var idColumn = definition.GroupBy.ToList().FindIndex(g => g.Field == "social_assistance.id_number");
        var nameColumn = definition.GroupBy.ToList().FindIndex(g => g.Field == "person.name");
        for (var r = 0; r < shown.Count; r++)
        {
            var reference = ReportSheet.ColumnName(definition.GroupBy.Count) + (ReportSheet.FirstDataRow + r).ToString(CultureInfo.InvariantCulture);
            var raw = (await ReportRuns.TraceAsync(_pool.Database, _pool.Reports, run, reference, 0, 10))!.Groups!;
            Assert.That(shown[r][idColumn].GetString(), Is.EqualTo(access.ViewOf(viewer, "social_assistance")!.Present("id_number", raw[idColumn])));
            Assert.That(shown[r][nameColumn].GetString(), Is.EqualTo(access.ViewOf(viewer, "person")!.Present("name", raw[nameColumn])));
        }
    }

    /// <summary>
    /// The ids behind every number are collected once per group, packed with a bit per measure: a definition with more
    /// measures than one packed list holds (so two lists), conditions on the person and on a joined entity, and a sum,
    /// each cell traced and compared with the records a direct query and C# select for that group and measure.
    /// </summary>
    [Test]
    public async Task Every_cell_of_many_measures_traces_to_exactly_its_groups_and_measures_records()
    {
        var thresholds = Enumerable.Range(0, 11).Select(i => i * 10).ToList();
        var measures = new List<(string Json, Func<object?[], int?, bool> Counts)>
        {
            ("""{ "id": "all", "label": { "zh": "人数", "en": "All" } }""", (_, _) => true),
            ("""{ "id": "men", "label": { "zh": "男", "en": "Men" }, "where": [{ "field": "person.gender", "op": "eq", "value": "1" }] }""", (p, _) => p[2] as string == "1"),
        };
        measures.AddRange(thresholds.Select(t => (
            $$"""{ "id": "age_{{t}}", "label": { "zh": "{{t}}岁及以上", "en": "{{t}}+" }, "where": [{ "field": "person.age", "op": "gte", "value": {{t}} }] }""",
            (Func<object?[], int?, bool>)((_, age) => age >= t))));
        measures.AddRange(
        [
            ("""{ "id": "allowance", "label": { "zh": "津贴", "en": "Allowance" }, "where": [{ "field": "elderly.allowance_type", "op": "notNull" }] }""", (p, _) => p[4] is not null),
            ("""{ "id": "band_1", "label": { "zh": "一档", "en": "Band 1" }, "where": [{ "field": "elderly.allowance_type", "op": "eq", "value": "1" }] }""", (p, _) => p[4] as string == "1"),
            ("""{ "id": "alone", "label": { "zh": "独居", "en": "Alone" }, "where": [{ "field": "elderly.living_alone", "op": "eq", "value": true }] }""",
                (p, _) => p[5] is not null && Convert.ToInt64(p[5], CultureInfo.InvariantCulture) == 1),
            ("""{ "id": "amount", "label": { "zh": "金额", "en": "Amount" }, "agg": "sum", "field": "elderly.monthly_amount" }""", (p, _) => p[6] is not null),
            ("""{ "id": "no_birth", "label": { "zh": "无出生日期", "en": "No birth date" }, "where": [{ "field": "person.birth_date", "op": "isNull" }] }""", (p, _) => p[3] is null),
            ("""{ "id": "minors", "label": { "zh": "未成年", "en": "Minors" }, "where": [{ "field": "person.age", "op": "lt", "value": 18 }] }""", (_, age) => age < 18),
        ]);
        Assert.That(measures, Has.Count.GreaterThan(ReportQuery.MeasuresPerList), "two packed lists");

        var folder = Path.Combine(_pool.Root, "many-measures");
        Directory.CreateDirectory(folder);
        var shipped = Path.Combine(_pool.Database.Catalog.Root, ReportCatalog.Folder);
        File.Copy(Path.Combine(shipped, ReportCatalog.SchemaFile), Path.Combine(folder, ReportCatalog.SchemaFile), overwrite: true);
        File.WriteAllText(Path.Combine(folder, "many-measures.json"), $$"""
            { "id": "many-measures", "title": { "zh": "多指标", "en": "Many measures" }, "department": "civil-affairs", "entity": "person",
              "joins": [{ "entity": "elderly", "on": "id_number" }],
              "groupBy": [{ "field": "person.community_code" }, { "field": "person.gender" }],
              "measures": [{{string.Join(", ", measures.Select(m => m.Json))}}] }
            """);
        var reports = ReportCatalog.Load(_pool.Database.Catalog, folder);
        var run = await _pool.Create(reports).RunAsync("many-measures", "test");
        Assert.That(run.Succeeded, Is.True, run.Error);

        var today = ReportReader.LocalDate(DateTimeOffset.Parse(run.AsOf!, CultureInfo.InvariantCulture));
        var persons = await _pool.RowsAsync(
            "SELECT p.pool_id AS id, p.community_code AS community, p.gender AS gender, p.birth_date AS birth, e.allowance_type AS band, e.living_alone AS alone, " +
            "e.monthly_amount AS amount FROM pool_person p LEFT JOIN pool_elderly e ON e.id_number = p.id_number AND e._deleted = 0 WHERE p._deleted = 0");
        int? Age(object? birth) => birth is string text && DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture) is var born
            ? today.Year - born.Year - ((today.Month, today.Day).CompareTo((born.Month, born.Day)) < 0 ? 1 : 0) : null;

        var traced = 0;
        for (var row = 0; row < run.Rows; row++)
        {
            var group = persons;
            for (var m = 0; m < measures.Count; m++)
            {
                var reference = ReportSheet.ColumnName(2 + m) + (ReportSheet.FirstDataRow + row).ToString(CultureInfo.InvariantCulture);
                var trace = (await ReportRuns.TraceAsync(_pool.Database, reports, run, reference, 0, 1_000_000))!;
                group = persons.Where(p => Equals(p[1], trace.Groups![0]) && Equals(p[2], trace.Groups[1])).ToList();
                var expected = group.Where(p => measures[m].Counts(p, Age(p[3]))).Select(p => Convert.ToInt64(p[0], CultureInfo.InvariantCulture)).Order().ToList();
                Assert.That(trace.PoolIds, Is.EqualTo(expected), $"{reference}: {trace.Measure} of ({string.Join(", ", trace.Groups!)})");
                var value = trace.Measure == "amount"
                    ? group.Where(p => p[6] is not null).Sum(p => Convert.ToDecimal(p[6], CultureInfo.InvariantCulture))
                    : expected.Count;
                Assert.That(trace.Value ?? 0m, Is.EqualTo(value).Within(0.005m), reference);
            }

            traced += group.Count;
        }

        Assert.That(traced, Is.EqualTo(persons.Count), "every person is in exactly one group");
    }

    /// <summary>
    /// A join that only names the groups is made after aggregating; the rows must be those of the join made per row.
    /// A measure reading the joined entity keeps the join per row, so the two definitions below compare both ways.
    /// </summary>
    [Test]
    public async Task Groups_named_by_a_join_made_after_aggregating_equal_those_of_the_join_made_per_row()
    {
        var folder = Path.Combine(_pool.Root, "late-join");
        Directory.CreateDirectory(folder);
        var shipped = Path.Combine(_pool.Database.Catalog.Root, ReportCatalog.Folder);
        File.Copy(Path.Combine(shipped, ReportCatalog.SchemaFile), Path.Combine(folder, ReportCatalog.SchemaFile), overwrite: true);
        string Definition(string id, string extraMeasure) => $$"""
            { "id": "{{id}}", "title": { "zh": "社区人口", "en": "By community" }, "department": "civil-affairs", "entity": "person",
              "joins": [{ "entity": "community", "on": "community_code" }],
              "groupBy": [{ "field": "person.community_code" }, { "field": "community.name" }, { "field": "person.gender" }],
              "measures": [{ "id": "all", "label": { "zh": "人数", "en": "All" } }{{extraMeasure}}] }
            """;
        File.WriteAllText(Path.Combine(folder, "late.json"), Definition("late", ""));
        File.WriteAllText(Path.Combine(folder, "per-row.json"), Definition("per-row",
            """, { "id": "named", "label": { "zh": "有名称", "en": "Named" }, "where": [{ "field": "community.name", "op": "notNull" }] }"""));
        var reports = ReportCatalog.Load(_pool.Database.Catalog, folder);
        var catalog = _pool.Database.Catalog;
        Assert.That(ReportQuery.Build(catalog, reports.Get("late"), _pool.Database.Dialect, new DateOnly(2026, 1, 1)).GroupSql,
            Does.Contain("GROUP BY g0, g2) a LEFT JOIN pool_community"), "the name is joined once per group");
        Assert.That(ReportQuery.Build(catalog, reports.Get("per-row"), _pool.Database.Dialect, new DateOnly(2026, 1, 1)).GroupSql,
            Does.Not.Contain(") a LEFT JOIN"), "a measure reads the community: joined per row");

        var late = await ReportReader.ReadAsync(_pool.Database, reports.Get("late"), TimeProvider.System, CancellationToken.None);
        var perRow = await ReportReader.ReadAsync(_pool.Database, reports.Get("per-row"), TimeProvider.System, CancellationToken.None);

        Assert.That(late.Rows, Has.Count.GreaterThan(2));
        Assert.That(late.Rows.Select(r => (string.Join("|", r.Shown), r.Values[0])), Is.EqualTo(perRow.Rows.Select(r => (string.Join("|", r.Shown), r.Values[0]))));
        Assert.That(late.Rows.Any(r => r.Shown[1] is not null), "the community names are there");
    }

    /// <summary>What each report must total, computed independently: plain SQL counts and sums, ages counted here in C#.</summary>
    private async Task<Dictionary<string, decimal>> DirectTotalsAsync(string id, DateTimeOffset asOf)
    {
        async Task<Dictionary<string, decimal>> Sql(string sql, params string[] measures)
        {
            var row = (await _pool.RowsAsync(sql))[0];
            return measures.Select((m, i) => (m, v: row[i] is null ? 0m : Convert.ToDecimal(row[i], CultureInfo.InvariantCulture))).ToDictionary(x => x.m, x => x.v);
        }

        var today = DateOnly.FromDateTime(asOf.ToOffset(TimeSpan.FromHours(8)).DateTime);
        int Age(string birth)
        {
            var born = DateOnly.ParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            return today.Year - born.Year - ((today.Month, today.Day).CompareTo((born.Month, born.Day)) < 0 ? 1 : 0);
        }

        switch (id)
        {
            case "population-monthly":
                return await Sql("SELECT COUNT(*) AS n0, SUM(CASE WHEN gender = '2' THEN 1 ELSE 0 END) AS n1 FROM pool_person WHERE _deleted = 0", "residents", "female");
            case "elderly-allowance":
            {
                var people = await _pool.RowsAsync(
                    "SELECT p.birth_date, e.monthly_amount, e.allowance_type FROM pool_person p LEFT JOIN pool_elderly e ON e.id_number = p.id_number AND e._deleted = 0 WHERE p._deleted = 0 AND p.birth_date IS NOT NULL");
                var elderly = people.Where(p => Age((string)p[0]!) >= 60).ToList();
                return new Dictionary<string, decimal>
                {
                    ["aged_60_plus"] = elderly.Count,
                    ["aged_80_plus"] = elderly.Count(p => Age((string)p[0]!) >= 80),
                    ["allowance_recipients"] = elderly.Count(p => p[2] is not null),
                    ["allowance_amount"] = elderly.Sum(p => p[1] is null ? 0m : Convert.ToDecimal(p[1], CultureInfo.InvariantCulture)),
                };
            }

            case "dibao-roster":
                return await Sql(
                    "SELECT COUNT(*) AS n0, SUM(s.covered_members) AS n1, SUM(s.monthly_amount) AS n2 FROM pool_social_assistance s JOIN pool_person p ON p.id_number = s.id_number AND p._deleted = 0 " +
                    "WHERE s._deleted = 0 AND s.assistance_type = '1' AND s.status = '1'", "households", "covered_members", "monthly_amount");
            case "disability-category-grade":
                return await Sql("SELECT COUNT(*) AS n0, SUM(CASE WHEN grade = '1' THEN 1 ELSE 0 END) AS n1 FROM pool_disability WHERE _deleted = 0", "holders", "grade_1");
            case "registered-unemployed":
                return await Sql("SELECT COUNT(*) FROM pool_employment WHERE _deleted = 0 AND unemployment_registered = 1", "registered");
            case "special-care":
                return await Sql("SELECT COUNT(*) AS n0, SUM(monthly_amount) AS n1, AVG(monthly_amount) AS n2 FROM pool_special_care WHERE _deleted = 0", "recipients", "monthly_total", "monthly_average");
            case "household-composition":
                return await Sql("SELECT COUNT(*) AS n0, SUM(member_count) AS n1, SUM(CASE WHEN member_count >= 4 THEN 1 ELSE 0 END) AS n2 FROM pool_household WHERE _deleted = 0", "households", "members", "four_plus");
            default:
                throw new AssertionException($"no direct count for {id}");
        }
    }
}
