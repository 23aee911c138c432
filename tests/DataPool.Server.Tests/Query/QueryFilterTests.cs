using System.Net;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Server.Identity;

namespace DataPool.Server.Tests.Query;

/// <summary>Filters (each operator), sort, keyset paging and injection attempts, against both stores.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class QueryFilterTests(string store)
{
    private const string Named = $"community_code=in:{QueryWorld.CommunityA},{QueryWorld.CommunityB}";
    private ServerHost _server = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerHost.StartAsync(store);
        await QueryWorld.SeedAsync(_server);
        _admin = await _server.ClientAsync(Roles.Admin);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private async Task<List<JsonElement>> ItemsAsync(string query) =>
        (await QueryWorld.JsonAsync(await _admin.GetAsync("/api/pool/person?" + query))).GetProperty("items").EnumerateArray().ToList();

    private static List<string?> Names(List<JsonElement> items) => items.Select(i => i.GetProperty("name").GetString()).ToList();

    [Test]
    public async Task Each_operator_selects_what_it_says()
    {
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(Names(await ItemsAsync("name=张三")), Is.EqualTo(new[] { "张三" }));
            Assert.That(Names(await ItemsAsync("name=eq:李四")), Is.EqualTo(new[] { "李四" }));
            Assert.That(Names(await ItemsAsync($"{Named}&gender=in:2&sort=name")), Is.EquivalentTo(new[] { "李四", QueryWorld.FormulaName }));
            Assert.That(Names(await ItemsAsync($"{Named}&birth_date=range:1950-01-01..1960-12-31")), Is.EquivalentTo(new[] { "张三", "王五" }));
            Assert.That(Names(await ItemsAsync($"{Named}&birth_date=range:..1949-12-31")), Is.EquivalentTo(new[] { "赵六" }));
            Assert.That(Names(await ItemsAsync($"{Named}&birth_date=range:1962-05-01..")), Is.EquivalentTo(new[] { "李四", QueryWorld.FormulaName }));
            Assert.That(Names(await ItemsAsync("address=prefix:东城区")), Is.EquivalentTo(new[] { "张三", "李四" }));
            Assert.That(Names(await ItemsAsync("address=prefix:%")), Is.Empty, "% is a character to match, not a wildcard");
            Assert.That(Names(await ItemsAsync($"{Named}&gender=1&birth_date=range:1940-01-01..1955-12-31")), Is.EquivalentTo(new[] { "王五", "赵六" }));
        });
    }

    [Test]
    public async Task Field_selection_and_sort()
    {
        var items = await ItemsAsync($"{Named}&fields=name,birth_date&sort=-birth_date");
        Assert.That(items.Select(i => i.EnumerateObject().Select(p => p.Name).ToList()), Has.All.EqualTo(new[] { "pool_id", "name", "birth_date" }));
        var births = items.Select(i => i.GetProperty("birth_date").GetString()).ToList();
        Assert.That(births, Is.EqualTo(births.OrderByDescending(b => b, StringComparer.Ordinal).ToList()).And.Count.EqualTo(5));

        var byGender = await ItemsAsync($"{Named}&sort=gender,-birth_date&fields=gender,birth_date");
        var keys = byGender.Select(i => (Gender: i.GetProperty("gender").GetString()!, Birth: i.GetProperty("birth_date").GetString()!)).ToList();
        Assert.That(keys, Is.EqualTo(keys.OrderBy(k => k.Gender, StringComparer.Ordinal).ThenByDescending(k => k.Birth, StringComparer.Ordinal).ToList()));
        Assert.That(keys.Select(k => k.Gender), Is.EqualTo(new[] { "1", "1", "1", "2", "2" }));
    }

    [TestCase("sort=birth_date")]
    [TestCase("sort=-address,birth_date&fields=name")]
    [TestCase("")]
    public async Task Keyset_pages_cover_every_row_once(string sort)
    {
        var seen = new List<long>();
        var pages = 0;
        var next = "";
        do
        {
            var url = $"/api/pool/person?community_code={QueryWorld.BulkCommunity}&gender=2&limit=1000&{sort}" + (next.Length > 0 ? "&after=" + Uri.EscapeDataString(next) : "");
            var page = await QueryWorld.JsonAsync(await _admin.GetAsync(url));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("pool_id").GetInt64()));
            next = page.GetProperty("next").GetString() ?? "";
            pages++;
        }
        while (next.Length > 0 && pages < 100);

        // Half the generated residents are women; birth dates include empty ones, which sort first.
        Assert.That(seen, Has.Count.EqualTo(QueryWorld.BulkCount / 2));
        Assert.That(seen.Distinct().Count(), Is.EqualTo(QueryWorld.BulkCount / 2), "no row twice");
        Assert.That(pages, Is.EqualTo(QueryWorld.BulkCount / 2 / 1000));
    }

    [Test]
    public async Task Numbered_pages_carry_the_true_total_and_follow_the_sort()
    {
        const string Query = "community_code=" + QueryWorld.BulkCommunity + "&birth_date=range:1950-01-01..1951-12-31&sort=-birth_date,name&fields=name,birth_date";
        var expected = await QueryWorld.CountAsync(_server,
            "SELECT count(*) FROM pool_person WHERE community_code = @c AND birth_date >= '1950-01-01' AND birth_date <= '1951-12-31'", ("@c", QueryWorld.BulkCommunity));
        var everything = await ItemsAsync(Query + "&limit=1000");
        Assert.That(everything, Has.Count.EqualTo(expected).And.Count.GreaterThan(60));

        var pages = new List<JsonElement>();
        for (var offset = 0; offset < expected; offset += 25)
        {
            var page = await QueryWorld.JsonAsync(await _admin.GetAsync($"/api/pool/person?{Query}&limit=25&offset={offset}&total=true"));
            Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(expected), $"offset {offset}");
            Assert.That(page.GetProperty("offset").GetInt32(), Is.EqualTo(offset));
            pages.AddRange(page.GetProperty("items").EnumerateArray());
        }

        Assert.That(pages.Select(i => i.GetProperty("pool_id").GetInt64()), Is.EqualTo(everything.Select(i => i.GetProperty("pool_id").GetInt64())),
            "numbered pages, one after another, are the whole result in its order");
        var withoutTotal = await QueryWorld.JsonAsync(await _admin.GetAsync($"/api/pool/person?{Query}&limit=5"));
        Assert.That(withoutTotal.TryGetProperty("total", out var none) ? none.ValueKind : JsonValueKind.Null, Is.EqualTo(JsonValueKind.Null), "counted only when asked");
    }

    [TestCase("offset=-1", "offset")]
    [TestCase("offset=abc", "offset")]
    [TestCase("offset=1000001", "offset")]
    [TestCase("total=maybe", "total")]
    [TestCase("offset=10&after=eyJ4IjoxfQ", "offset")]
    public async Task Bad_paging_parameters_are_refused_naming_them(string query, string named)
    {
        using var response = await _admin.GetAsync("/api/pool/person?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ServerHost.ProblemAsync(response)).Title, Does.StartWith(named));
    }

    [Test]
    public async Task A_filtered_count_matches_a_direct_count()
    {
        var expected = await QueryWorld.CountAsync(_server,
            "SELECT count(*) FROM pool_person WHERE community_code = @c AND birth_date >= '1950-01-01' AND birth_date <= '1951-12-31' AND gender = '2'",
            ("@c", QueryWorld.BulkCommunity));
        var items = await ItemsAsync($"community_code={QueryWorld.BulkCommunity}&birth_date=range:1950-01-01..1951-12-31&gender=2&limit=1000");
        Assert.That(expected, Is.GreaterThan(0));
        Assert.That(items, Has.Count.EqualTo(expected));
    }

    [TestCase("name'; DROP TABLE pool_person;--=x", "name'; DROP TABLE pool_person;--")]
    [TestCase("sort=1;--", "sort")]
    [TestCase("sort=name;DELETE FROM pool_person", "sort")]
    [TestCase("fields=name,(SELECT password_hash FROM dp_users)", "fields")]
    [TestCase("birth_date=range:1950' OR '1'='1..2000", "birth_date")]
    [TestCase("gender=in:1) OR (1=1", "gender")]
    [TestCase("limit=10;DROP TABLE pool_person", "limit")]
    [TestCase("after=eyJ4IjoxfQ", "after")]
    public async Task Injection_attempts_are_refused_and_the_tables_stay(string query, string named)
    {
        using var response = await _admin.GetAsync("/api/pool/person?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await ServerHost.ProblemAsync(response);
        Assert.That(problem.Title, Does.StartWith(named));
        Assert.That(await QueryWorld.CountAsync(_server, "SELECT count(*) FROM pool_person"), Is.EqualTo(QueryWorld.BulkCount + QueryWorld.Named.Length));
    }

    [Test]
    public async Task Values_are_parameters_not_sql()
    {
        Assert.That(await ItemsAsync("name=' OR '1'='1"), Is.Empty);
        Assert.That(await ItemsAsync("address=prefix:' OR 1=1 --"), Is.Empty);
        using var entity = await _admin.GetAsync("/api/pool/person;DROP TABLE pool_person");
        Assert.That(entity.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await QueryWorld.CountAsync(_server, "SELECT count(*) FROM pool_person"), Is.EqualTo(QueryWorld.BulkCount + QueryWorld.Named.Length));
    }

    [Test]
    public async Task A_cursor_only_continues_the_sort_it_came_from()
    {
        var first = await QueryWorld.JsonAsync(await _admin.GetAsync($"/api/pool/person?community_code={QueryWorld.BulkCommunity}&limit=10&sort=name"));
        var next = first.GetProperty("next").GetString()!;
        using var other = await _admin.GetAsync($"/api/pool/person?community_code={QueryWorld.BulkCommunity}&limit=10&sort=-name&after={Uri.EscapeDataString(next)}");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ServerHost.ProblemAsync(other)).Title, Does.Contain("another sort"));
    }
}
