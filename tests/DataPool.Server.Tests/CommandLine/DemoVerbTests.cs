using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataPool.Server.Identity;

namespace DataPool.Server.Tests.CommandLine;

/// <summary>
/// <c>demo --seeds &lt;repo&gt;/seeds</c> into an empty data folder, then again: every source synced with the contract's
/// summary line, and the second run idempotent. The two runs happen once for the fixture.
/// </summary>
[TestFixture]
public sealed partial class DemoVerbTests
{
    private static readonly TimeSpan DemoTimeout = TimeSpan.FromMinutes(10);
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private string seeds = "";
    private string data = "";
    private CliResult first = null!;
    private CliResult second = null!;

    public sealed record Summary(string Id, long Read, long Accepted, long Quarantined, long New, long Updated, long Unchanged, long Deleted);

    [GeneratedRegex(@"^(?<id>[a-z0-9-]+): read=(?<read>\d+) accepted=(?<accepted>\d+) quarantined=(?<quarantined>\d+) new=(?<new>\d+) updated=(?<updated>\d+) unchanged=(?<unchanged>\d+) deleted=(?<deleted>\d+)$")]
    private static partial Regex SummaryLine();

    [OneTimeSetUp]
    public async Task RunDemoTwice()
    {
        seeds = Path.Combine(Workspace.RepoRoot(), "seeds");
        Assume.That(Directory.Exists(seeds) && Directory.EnumerateFiles(seeds, "*.source.json", SearchOption.AllDirectories).Any(),
            Is.True, "the committed demo world (seeds/*.source.json) is not there yet");
        data = Path.Combine(Workspace.Folder, "data");
        first = await Cli.RunInAsync(Workspace.Folder, DemoTimeout, "demo", "--seeds", seeds, "--data", data);
        second = await Cli.RunInAsync(Workspace.Folder, DemoTimeout, "demo", "--seeds", seeds, "--data", data);
    }

    private static List<Summary> Summaries(CliResult result) =>
        result.StdoutLines.Select(l => SummaryLine().Match(l)).Where(m => m.Success).Select(m => new Summary(
            m.Groups["id"].Value, N(m, "read"), N(m, "accepted"), N(m, "quarantined"), N(m, "new"), N(m, "updated"), N(m, "unchanged"), N(m, "deleted"))).ToList();

    private static long N(Match m, string group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    /// <summary>Incremental sources (the employment registry's SQL database) re-read only rows past their cursor: none on a second run.</summary>
    private static readonly string[] Incremental = ["employment"];

    /// <summary>Sources outside the generated world (the health API served by the simulator) have no entry in expected.json.</summary>
    private static readonly string[] NotGenerated = ["health"];

    private List<string> DefinitionIds() =>
        Directory.EnumerateFiles(seeds, "*.source.json", SearchOption.AllDirectories)
            .Select(f =>
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(f), Lenient);
                return doc.RootElement.GetProperty("id").GetString()!;
            })
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The review queue had nothing to show after <c>demo</c> while every person stream was keyed by ID number: the
    /// visit log (no ID numbers) has rows written by ear that the matcher must not decide alone.
    /// </summary>
    [Test]
    public async Task After_demo_the_review_queue_holds_the_visit_logs_uncertain_rows()
    {
        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        await using var server = await ServerHost.StartOverAsync(data);
        await server.CreateUserAsync("reviewer", Roles.Admin);
        var admin = await server.LoginAsync("reviewer");
        var pending = await admin.GetFromJsonAsync<JsonElement>("/api/matches");
        var items = pending.GetProperty("items").EnumerateArray().ToList();
        Assert.That(pending.GetProperty("total").GetInt64(), Is.GreaterThanOrEqualTo(1), pending.ToString());
        Assert.That(items, Is.Not.Empty, pending.ToString());
        Assert.That(items.Select(i => i.GetProperty("status").GetString()), Has.All.EqualTo("pending"));
        var summary = await admin.GetFromJsonAsync<JsonElement>("/api/matches/summary");
        Assert.That(summary.ToString(), Does.Contain("visits"), "the pending items come from the visit log");
    }

    [Test]
    public void Both_runs_exit_0()
    {
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
    }

    [Test]
    public void Each_run_prints_one_summary_line_per_source()
    {
        var ids = DefinitionIds();
        Assert.That(Summaries(first).Select(s => s.Id).Order(StringComparer.Ordinal), Is.EqualTo(ids), first.ToString());
        Assert.That(Summaries(second).Select(s => s.Id).Order(StringComparer.Ordinal), Is.EqualTo(ids), second.ToString());
    }

    [Test]
    public void Read_is_accepted_plus_quarantined_and_accepted_is_new_updated_unchanged()
    {
        Assert.Multiple(() =>
        {
            foreach (var s in Summaries(first).Concat(Summaries(second)))
            {
                Assert.That(s.Read, Is.EqualTo(s.Accepted + s.Quarantined), s.ToString());
                Assert.That(s.Accepted, Is.EqualTo(s.New + s.Updated + s.Unchanged), s.ToString());
            }

            foreach (var s in Summaries(first))
            {
                Assert.That(s.Read, Is.GreaterThan(0), s.ToString());
            }
        });
    }

    [Test]
    public void The_first_run_into_an_empty_pool_deletes_nothing()
    {
        Assert.That(Summaries(first), Is.Not.Empty, first.ToString());
        Assert.That(Summaries(first).Select(s => s.Deleted), Has.All.Zero, first.ToString());
    }

    [Test]
    public void The_second_run_changes_nothing()
    {
        var summaries = Summaries(second);
        Assert.That(summaries, Is.Not.Empty, second.ToString());
        Assert.Multiple(() =>
        {
            foreach (var s in summaries)
            {
                Assert.That((s.New, s.Updated, s.Deleted), Is.EqualTo((0L, 0L, 0L)), $"second demo run is not idempotent: {s}");
                Assert.That(s.Unchanged, Is.EqualTo(s.Accepted), s.ToString());
            }
        });
    }

    [Test]
    public void Both_runs_read_and_quarantine_the_same_rows()
    {
        var before = Summaries(first).Where(s => !Incremental.Contains(s.Id)).ToDictionary(s => s.Id, s => (s.Read, s.Quarantined, s.Accepted));
        var after = Summaries(second).Where(s => !Incremental.Contains(s.Id)).ToDictionary(s => s.Id, s => (s.Read, s.Quarantined, s.Accepted));
        Assert.That(after, Is.EqualTo(before));
        Assert.That(Summaries(second).Where(s => Incremental.Contains(s.Id)).Select(s => s.Read), Has.All.Zero, "nothing past the cursor");
    }

    [Test]
    public void The_counts_match_the_demo_worlds_expected_json()
    {
        var expectedFile = Path.Combine(seeds, "expected.json");
        Assume.That(expectedFile, Does.Exist);
        using var doc = JsonDocument.Parse(File.ReadAllText(expectedFile), Lenient);
        var expected = doc.RootElement.GetProperty("sources").EnumerateArray().ToDictionary(
            s => s.GetProperty("id").GetString()!,
            s => (Read: s.GetProperty("expectedRead").GetInt64(), Quarantined: s.GetProperty("expectedQuarantined").GetInt64()));
        var actual = Summaries(first).Where(s => !NotGenerated.Contains(s.Id)).ToDictionary(s => s.Id, s => (s.Read, s.Quarantined));
        Assert.That(actual, Is.EqualTo(expected), first.ToString());
    }

    [Test]
    public void Redirected_output_has_no_carriage_returns()
    {
        Assert.Multiple(() =>
        {
            Assert.That(first.Stdout, Does.Not.Contain("\r"));
            Assert.That(first.Stderr, Does.Not.Contain("\r"));
            Assert.That(second.Stdout, Does.Not.Contain("\r"));
            Assert.That(second.Stderr, Does.Not.Contain("\r"));
        });
    }
}
