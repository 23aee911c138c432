using DataPool.Core.History;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.History;

[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class PoolHistoryTests(string store)
{
    private PoolTestHost _host = null!;
    private ChangeWorld _world = null!;
    private PoolHistory History => _host.Services.GetRequiredService<PoolHistory>();

    private static readonly Resident Zhang = Resident.Born("1957-03-02", 1, "张三", "1000010001", "02", "多福巷社区1号楼1单元101");
    private static readonly Resident Li = Resident.Born("1980-01-15", 2, "李四", "1000010002", "02", "多福巷社区2号楼1单元202");

    [SetUp]
    public async Task SetUp()
    {
        _host = await PoolTestHost.CreateAsync(store);
        _world = new ChangeWorld(_host);
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task As_of_gives_nothing_before_creation_then_the_values_before_and_after_an_update_and_nothing_once_deleted()
    {
        var beforeCreation = DateTimeOffset.UtcNow;
        await _world.SyncPersonsAsync(Zhang, Li);
        var afterCreation = DateTimeOffset.UtcNow;
        await _world.SyncPersonsAsync(Zhang with { Name = "张叁", Address = "多福巷社区5号楼2单元301" }, Li);
        var afterUpdate = DateTimeOffset.UtcNow;
        await _world.SyncPersonsAsync(Li);
        var afterDeletion = DateTimeOffset.UtcNow;
        var id = await _world.PoolIdAsync("person", Zhang.Id);

        Assert.That(await History.AsOfAsync("person", id, beforeCreation, CancellationToken.None), Is.Null);
        var created = await History.AsOfAsync("person", id, afterCreation, CancellationToken.None);
        Assert.That((created!["name"], created["address"], created["household_no"], created["birth_date"]),
            Is.EqualTo(("张三", "多福巷社区1号楼1单元101", "1000010001", "1957-03-02")));
        Assert.That(created["phone"], Is.Null, "a field the record never had is null");
        var updated = await History.AsOfAsync("person", id, afterUpdate, CancellationToken.None);
        Assert.That((updated!["name"], updated["address"], updated["household_no"]), Is.EqualTo(("张叁", "多福巷社区5号楼2单元301", "1000010001")));
        Assert.That(await History.AsOfAsync("person", id, afterDeletion, CancellationToken.None), Is.Null, "deleted then");
        var other = await History.AsOfAsync("person", await _world.PoolIdAsync("person", Li.Id), afterDeletion, CancellationToken.None);
        Assert.That(other!["name"], Is.EqualTo("李四"), "the other record still stands");
    }

    [Test]
    public async Task A_record_history_lists_each_change_with_old_and_new_values_and_its_run()
    {
        await _world.SyncPersonsAsync(Zhang);
        await _world.SyncPersonsAsync(Zhang with { Name = "张叁" });
        var id = await _world.PoolIdAsync("person", Zhang.Id);

        var history = await History.HistoryAsync("person", id, CancellationToken.None);

        var runs = (await _host.QueryAsync("SELECT id FROM dp_runs ORDER BY id")).Select(r => Convert.ToInt64(r["id"])).ToList();
        Assert.That(history.Where(h => HistoryKinds.ChangesValues(h.Change)).Select(h => (h.Change, h.RunId)),
            Is.EqualTo(new[] { ("created", (long?)runs[0]), ("updated", runs[1]) }));
        var update = history.Single(h => h.Change == "updated");
        Assert.That(update.Changes, Is.EqualTo(new Dictionary<string, FieldChange> { ["name"] = new("张三", "张叁") }));
        Assert.That(history[0].Changes["name"], Is.EqualTo(new FieldChange(null, "张三")));
        Assert.That(history[0].At, Is.LessThanOrEqualTo(update.At));
        Assert.That(await History.HistoryAsync("person", 424242, CancellationToken.None), Is.Empty);
        Assert.That(await History.HistoryAsync("no_such_entity", id, CancellationToken.None), Is.Empty);
    }
}
