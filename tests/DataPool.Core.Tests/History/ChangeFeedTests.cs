using DataPool.Core.History;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.History;

[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class ChangeFeedTests(string store)
{
    private PoolTestHost _host = null!;
    private ChangeWorld _world = null!;
    private ChangeFeed Feed => _host.Services.GetRequiredService<ChangeFeed>();

    private const string Flat = "多福巷社区1号楼1单元101";
    private static readonly Resident Head = Resident.Born("1957-03-02", 1, "张三", "1000010001", "02", Flat);
    private static readonly Resident Wife = Resident.Born("1960-05-06", 2, "王丽", "1000010001", "12", Flat);
    private static readonly Resident Son = Resident.Born("1985-07-08", 3, "张强", "1000010001", "20", Flat);
    private static readonly Resident Elder = Resident.Born("1930-01-01", 5, "李老", "1000010002", "02", "多福巷社区2号楼1单元202");
    private static readonly Resident Neighbour = Resident.Born("1970-09-09", 7, "赵六", "1000010003", "02", "多福巷社区3号楼1单元303");

    [SetUp]
    public async Task SetUp()
    {
        _host = await PoolTestHost.CreateAsync(store);
        _world = new ChangeWorld(_host);
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private async Task<List<ChangeItem>> ReadAllAsync(string entity, int limit, IReadOnlySet<string>? types = null, long since = 0)
    {
        var items = new List<ChangeItem>();
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await Feed.ReadAsync(new ChangeQuery(entity, since, limit, types), CancellationToken.None);
            Assert.That(page.Items, Has.Count.LessThanOrEqualTo(limit + 2), "a page holds at most the limit and the rest of its last history row");
            items.AddRange(page.Items);
            var next = long.Parse(page.Next, System.Globalization.CultureInfo.InvariantCulture);
            if (next == since)
            {
                return items;
            }

            Assert.That(next, Is.GreaterThan(since), "the cursor only moves forward");
            since = next;
        }

        throw new AssertionException("the feed never ended");
    }

    [Test]
    public async Task The_feed_pages_with_its_cursor_across_two_syncs_without_gaps_or_repeats()
    {
        await _world.SyncPersonsAsync(Head, Wife, Son, Elder);
        var first = await ReadAllAsync("person", limit: 2);
        await _world.SyncPersonsAsync(Head with { Name = "张叁" }, Wife, Son with { Address = "多福巷社区9号楼1单元901" }, Neighbour);
        var resumed = await ReadAllAsync("person", limit: 2, since: long.Parse(first[^1].Cursor, System.Globalization.CultureInfo.InvariantCulture));

        var all = first.Concat(resumed).ToList();
        var history = (await _host.QueryAsync("SELECT id FROM dp_history WHERE entity = 'person' ORDER BY id")).Select(r => Convert.ToInt64(r["id"]).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(all.Select(i => i.Cursor).Distinct(), Is.EqualTo(history), "every history row, in order, once");
        Assert.That(all.Select(i => (i.Cursor, i.Type)), Is.Unique);
        Assert.That(first.Count(i => i.Type == ChangeTypes.Created), Is.EqualTo(4));
        Assert.That(resumed.Select(i => i.Type), Is.SupersetOf(new[] { ChangeTypes.Created, ChangeTypes.Updated, ChangeTypes.Moved, ChangeTypes.Died }));
        Assert.That((await Feed.ReadAsync(new ChangeQuery("person", long.Parse(history[^1], System.Globalization.CultureInfo.InvariantCulture), 10), CancellationToken.None)).Items, Is.Empty,
            "nothing new after the last cursor");
    }

    [Test]
    public async Task Life_events_are_typed_from_a_real_sync_of_changed_files()
    {
        var baby = Resident.Born(ChangeWorld.RecentBirth, 9, "张小宝", "1000010001", "41", Flat);
        await _world.SyncPersonsAsync(Head, Wife, Son, Elder);
        await _world.SyncAssistanceAsync((Elder.Id, "1"), (Neighbour.Id, "1"));
        var since = await _host.CountAsync("SELECT MAX(id) FROM dp_history");

        // The son moves out to a flat of his own, the elder dies, a baby is born, one allowance ends and one starts.
        await _world.SyncPersonsAsync(Head, Wife, Son with { HouseholdNo = "1000010009", Relation = "02", Address = "多福巷社区9号楼1单元901" }, baby);
        await _world.SyncAssistanceAsync((Elder.Id, "3"), (Neighbour.Id, "1"), (Head.Id, "1"));

        var people = await ReadAllAsync("person", 50, since: since);
        var son = await _world.PoolIdAsync("person", Son.Id);
        Assert.That(TypesOf(people, son), Is.EquivalentTo(new[] { ChangeTypes.Updated, ChangeTypes.Moved, ChangeTypes.HouseholdChanged }));
        var moved = people.Single(i => i.Id == son && i.Type == ChangeTypes.Moved);
        Assert.That(moved.Changes["address"], Is.EqualTo(new FieldChange(Flat, "多福巷社区9号楼1单元901")));
        var household = people.Single(i => i.Id == son && i.Type == ChangeTypes.HouseholdChanged);
        Assert.That(household.Changes["household_no"], Is.EqualTo(new FieldChange("1000010001", "1000010009")));
        Assert.That(household.Changes["relation_to_head"], Is.EqualTo(new FieldChange("20", "02")));

        var elder = await _world.PoolIdAsync("person", Elder.Id);
        Assert.That(TypesOf(people, elder), Is.SupersetOf(new[] { ChangeTypes.Deleted, ChangeTypes.Died }));
        Assert.That(people.Single(i => i.Id == elder && i.Type == ChangeTypes.Died).Basis, Is.EqualTo(LifeEvents.DiedByDeletion));
        Assert.That(TypesOf(people, await _world.PoolIdAsync("person", baby.Id)), Is.EquivalentTo(new[] { ChangeTypes.Created, ChangeTypes.Born }));
        Assert.That(people.Where(i => i.Type == ChangeTypes.Born).Select(i => i.Changes["birth_date"].New), Is.EqualTo(new[] { baby.Birth }));
        Assert.That(people.Where(i => i.Id != son && i.Id != elder).Select(i => i.Type), Has.None.EqualTo(ChangeTypes.Moved),
            "the head kept his flat, the newborn had none before");

        var assistance = await ReadAllAsync("social_assistance", 50, since: since);
        Assert.That(TypesOf(assistance, await _world.PoolIdAsync("social_assistance", Elder.Id)), Is.EquivalentTo(new[] { ChangeTypes.Updated, ChangeTypes.AssistanceEnded }));
        Assert.That(TypesOf(assistance, await _world.PoolIdAsync("social_assistance", Head.Id)), Is.EquivalentTo(new[] { ChangeTypes.Created, ChangeTypes.AssistanceStarted }));
        Assert.That(TypesOf(assistance, await _world.PoolIdAsync("social_assistance", Neighbour.Id)), Is.Empty, "unchanged");
    }

    [Test]
    public async Task A_types_filter_keeps_only_those_types_and_still_moves_the_cursor()
    {
        await _world.SyncPersonsAsync(Head, Wife, Son, Elder);
        await _world.SyncPersonsAsync(Head, Wife, Son with { Address = "多福巷社区9号楼1单元901" });

        var wanted = new HashSet<string> { ChangeTypes.Moved, ChangeTypes.Died };
        var items = await ReadAllAsync("person", 1, wanted);

        Assert.That(items.Select(i => (i.Type, i.Id)), Is.EquivalentTo(new[]
        {
            (ChangeTypes.Moved, await _world.PoolIdAsync("person", Son.Id)),
            (ChangeTypes.Died, await _world.PoolIdAsync("person", Elder.Id)),
        }));
        var onlyBirths = await Feed.ReadAsync(new ChangeQuery("person", 0, 10, new HashSet<string> { ChangeTypes.Born }), CancellationToken.None);
        Assert.That(onlyBirths.Items, Is.Empty);
        Assert.That(onlyBirths.Next, Is.EqualTo((await _host.CountAsync("SELECT MAX(id) FROM dp_history WHERE entity = 'person'")).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "the rows looked at are behind the cursor even when none matched");
    }

    private static List<string> TypesOf(IEnumerable<ChangeItem> items, long id) => items.Where(i => i.Id == id).Select(i => i.Type).ToList();
}
