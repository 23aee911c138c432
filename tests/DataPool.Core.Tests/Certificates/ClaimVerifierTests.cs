using DataPool.Core.Access;
using DataPool.Core.Certificates;
using DataPool.Core.Schema;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Certificates;

/// <summary>
/// The departmental claims on the demo world (household register, disability, veterans, employment): each answers yes,
/// no and unknown from the department's records, and only within the asking department's grant.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class ClaimVerifierTests(string store)
{
    private const string Nobody = "11010119900307001X";
    private static readonly Viewer Admin = new("root", PoolAccess.AdminRole, null, null);
    private PoolTestHost _host = null!;
    private ClaimVerifier _verifier = null!;

    [OneTimeSetUp]
    public async Task BuildTheDemoPool()
    {
        _host = await PoolTestHost.CreateAsync(store);
        var seeds = Path.Combine(Path.GetDirectoryName(SchemaCatalog.Locate())!, "seeds");
        foreach (var file in new[] { "hukou/hukou.source.json", "disability/disability.source.json", "veterans/veterans.source.json", "employment/employment.source.json" })
        {
            var result = await _host.SyncAsync(Path.Combine(seeds, file));
            Assert.That(result.Succeeded, result.Error);
        }

        _verifier = new ClaimVerifier(_host.Database, _host.Services.GetRequiredService<IPoolAccess>());
    }

    [OneTimeTearDown]
    public async Task Dispose() => await _host.DisposeAsync();

    private async Task<string> IdAsync(string sql) =>
        (await _host.QueryAsync(sql)).Select(r => r.Values.First()?.ToString()).FirstOrDefault() ?? throw new AssertionException($"nothing for {sql}");

    private async Task<string> AnswerAsync(string claim, string subject, string? grade = null, Viewer? viewer = null) =>
        (await _verifier.VerifyAsync(viewer ?? Admin, new ClaimQuestion(claim, subject, "test", Grade: grade), CancellationToken.None)).Answer;

    private Task<string> PersonWithout(string table) =>
        IdAsync($"SELECT MIN(p.id_number) FROM pool_person p WHERE p._deleted = 0 AND NOT EXISTS (SELECT 1 FROM {table} x WHERE x.id_number = p.id_number)");

    [Test]
    public async Task Disability_grade_at_most_compares_the_federations_grade()
    {
        var graded = await IdAsync("SELECT MIN(id_number) FROM pool_disability WHERE _deleted = 0 AND grade = '3'");
        Assert.That(await AnswerAsync("disability-grade-at-most", graded, "3"), Is.EqualTo("yes"));
        Assert.That(await AnswerAsync("disability-grade-at-most", graded, "4"), Is.EqualTo("yes"));
        Assert.That(await AnswerAsync("disability-grade-at-most", graded, "2"), Is.EqualTo("no"), "grade 3 is less severe than 2");
        Assert.That(await AnswerAsync("disability-grade-at-most", await PersonWithout("pool_disability"), "4"), Is.EqualTo("no"));
        Assert.That(await AnswerAsync("disability-grade-at-most", Nobody, "4"), Is.EqualTo("unknown"));
    }

    [Test]
    public async Task Registered_unemployed_reads_the_employment_status()
    {
        Assert.That(await AnswerAsync("registered-unemployed", await IdAsync("SELECT MIN(id_number) FROM pool_employment WHERE _deleted = 0 AND status = '4'")), Is.EqualTo("yes"));
        Assert.That(await AnswerAsync("registered-unemployed", await IdAsync("SELECT MIN(id_number) FROM pool_employment WHERE _deleted = 0 AND status <> '4'")), Is.EqualTo("no"));
        Assert.That(await AnswerAsync("registered-unemployed", Nobody), Is.EqualTo("unknown"));
    }

    [Test]
    public async Task Special_care_recipient_reads_veterans_affairs_records()
    {
        Assert.That(await AnswerAsync("special-care-recipient", await IdAsync("SELECT MIN(id_number) FROM pool_special_care WHERE _deleted = 0 AND care_type IS NOT NULL")), Is.EqualTo("yes"));
        Assert.That(await AnswerAsync("special-care-recipient", await PersonWithout("pool_special_care")), Is.EqualTo("no"));
        Assert.That(await AnswerAsync("special-care-recipient", Nobody), Is.EqualTo("unknown"));
    }

    [Test]
    public void A_claim_outside_the_department_grant_is_refused()
    {
        var humanResources = new Viewer("a", PoolAccess.AnalystRole, "human-resources", null);
        var refused = Assert.ThrowsAsync<ClaimRefusedException>(() => AnswerAsync("disability-grade-at-most", Nobody, "2", humanResources))!;
        Assert.That(refused.Forbidden, Is.True);
        Assert.That(refused.Message, Does.Contain("disability"));
    }
}
