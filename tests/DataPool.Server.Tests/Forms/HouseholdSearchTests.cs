using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataPool.Core.Forms;
using DataPool.Core.Store;
using DataPool.Server.Identity;

namespace DataPool.Server.Tests.Forms;

/// <summary>
/// The worker's search finds what a worker types: a surname, part of a name, address shorthand, the household
/// number; paged with the true total (a search for 多福巷 said "50 households" when 668 matched).
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed partial class HouseholdSearchTests(string store)
{
    private ServerHost _server = null!;
    private HttpClient _worker = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await FormsWorld.ForAsync(store);
        _worker = await _server.ClientAsync(Roles.Worker);
    }

    private async Task<JsonElement> SearchAsync(string q, int page = 1)
    {
        using var response = await _worker.GetAsync($"/api/forms/households?q={Uri.EscapeDataString(q)}&page={page}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await FormsWorld.JsonAsync(response);
    }

    private static List<string> Numbers(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("householdNo").GetString()!).ToList();

    private async Task<List<string>> AllNumbersAsync(string q)
    {
        var first = await SearchAsync(q);
        var all = Numbers(first);
        var pages = (int)Math.Ceiling(first.GetProperty("total").GetInt64() / (double)HouseholdSearch.PageSize);
        for (var page = 2; page <= pages; page++)
        {
            all.AddRange(Numbers(await SearchAsync(q, page)));
        }

        return all;
    }

    [Test]
    public async Task A_surname_alone_finds_the_households_of_people_with_that_surname()
    {
        // "王" found nothing: only whole names matched.
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 1);
        var name = await FormsWorld.ScalarAsync(_server, "SELECT name FROM pool_person WHERE household_no = @h AND _deleted = 0 ORDER BY pool_id LIMIT 1", ("@h", householdNo));
        var found = await AllNumbersAsync(name![..1]);
        Assert.That(found, Does.Contain(householdNo));
        Assert.That(await AllNumbersAsync(name[1..]), Does.Contain(householdNo), "part of a name");
    }

    [Test]
    public async Task Address_shorthand_finds_the_flat_and_not_a_longer_building_number()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 2);
        var address = await FormsWorld.ScalarAsync(_server, "SELECT address FROM pool_household WHERE household_no = @h", ("@h", householdNo));
        var flat = Flat().Match(address!);
        Assert.That(flat.Success, Is.True, address);
        var found = await SearchAsync($"{flat.Groups[1].Value}-{flat.Groups[2].Value}-{flat.Groups[3].Value}");
        var addresses = found.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("address").GetString()!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Numbers(found), Does.Contain(householdNo));
            Assert.That(addresses, Has.All.Match($@"(^|\D){flat.Groups[1].Value}号楼{flat.Groups[2].Value}单元{flat.Groups[3].Value}"));
        });
    }

    /// <summary>Communities are shown by name with the code beside: the search results and the header (<c>/api/auth/me</c>) carry the name.</summary>
    [Test]
    public async Task Households_found_and_the_signed_in_worker_name_their_community_beside_its_code()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 1);
        var name = await FormsWorld.ScalarAsync(_server, "SELECT name FROM pool_community WHERE community_code = @c AND _deleted = 0", ("@c", FormsWorld.CommunityA));
        Assert.That(name, Is.Not.Null.And.Not.Empty, "civil affairs' community register names the community");
        var hit = (await SearchAsync(householdNo)).GetProperty("items").EnumerateArray().Single(h => h.GetProperty("householdNo").GetString() == householdNo);
        Assert.That((hit.GetProperty("communityCode").GetString(), hit.GetProperty("communityName").GetString()), Is.EqualTo((FormsWorld.CommunityA, name)));
        var me = await FormsWorld.JsonAsync(await _worker.GetAsync("/api/auth/me"));
        Assert.That((me.GetProperty("community").GetString(), me.GetProperty("communityName").GetString()), Is.EqualTo((FormsWorld.CommunityA, name)));
    }

    [Test]
    public async Task The_household_number_finds_that_household()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 3);
        var found = await SearchAsync(householdNo);
        Assert.That(Numbers(found), Is.EqualTo(new[] { householdNo }));
        Assert.That(found.GetProperty("total").GetInt64(), Is.EqualTo(1));
    }

    [Test]
    public async Task Results_are_paged_with_the_true_total()
    {
        var expected = long.Parse((await FormsWorld.ScalarAsync(_server,
            "SELECT COUNT(*) FROM pool_household WHERE community_code = @c AND _deleted = 0 AND address LIKE '%号楼%'", ("@c", FormsWorld.CommunityA)))!,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(expected, Is.GreaterThan(HouseholdSearch.PageSize), "the world has more than one page");

        var first = await SearchAsync("号楼");
        var second = await SearchAsync("号楼", 2);
        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("total").GetInt64(), Is.EqualTo(expected));
            Assert.That(first.GetProperty("pageSize").GetInt32(), Is.EqualTo(HouseholdSearch.PageSize));
            Assert.That(Numbers(first), Has.Count.EqualTo(HouseholdSearch.PageSize));
            Assert.That(second.GetProperty("page").GetInt32(), Is.EqualTo(2));
            Assert.That(Numbers(second), Is.Not.Empty);
            Assert.That(Numbers(second).Intersect(Numbers(first)), Is.Empty);
        });
        var all = await AllNumbersAsync("号楼");
        Assert.That(all, Has.Count.EqualTo(expected).And.Unique, "every page together lists each household once");
    }

    [GeneratedRegex(@"(\d+)号楼(\d+)单元(\d+)")]
    private static partial Regex Flat();
}
