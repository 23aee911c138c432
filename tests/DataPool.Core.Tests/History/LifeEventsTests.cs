using DataPool.Core.History;

namespace DataPool.Core.Tests.History;

/// <summary>The typing rules on single history rows, where a real sync cannot easily produce the case.</summary>
public sealed class LifeEventsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);

    private static List<string> Types(string entity, string change, Dictionary<string, FieldChange> changes, bool goneAtSource = true) =>
        LifeEvents.Derive(new HistoryEntry(1, entity, 7, change, changes, 3, At), goneAtSource).Select(e => e.Type).ToList();

    [Test]
    public void A_person_merged_into_another_is_deleted_but_did_not_die() =>
        Assert.That(Types("person", "deleted", [], goneAtSource: false), Is.EqualTo(new[] { ChangeTypes.Deleted }));

    [Test]
    public void A_death_date_set_is_a_death_even_without_a_deletion() =>
        Assert.That(Types("person", "updated", new() { ["death_date"] = new(null, "2026-10-30") }), Is.EqualTo(new[] { ChangeTypes.Updated, ChangeTypes.Died }));

    [Test]
    public void A_person_created_a_year_or_more_after_birth_is_not_born_then() =>
        Assert.That(Types("person", "created", new() { ["birth_date"] = new(null, "2025-11-01") }), Is.EqualTo(new[] { ChangeTypes.Created }));

    [Test]
    public void Filling_in_a_missing_address_is_no_move() =>
        Assert.That(Types("person", "updated", new() { ["address"] = new(null, "多福巷社区1号楼") }), Is.EqualTo(new[] { ChangeTypes.Updated }));

    [TestCase("1", "3", ChangeTypes.AssistanceEnded)]
    [TestCase("2", "1", ChangeTypes.AssistanceStarted)]
    [TestCase("1", "2", null)]
    public void Assistance_status_changes(string from, string to, string? lifeEvent) =>
        Assert.That(Types("social_assistance", "updated", new() { ["status"] = new(from, to) }),
            Is.EqualTo(lifeEvent is null ? new[] { ChangeTypes.Updated } : new[] { ChangeTypes.Updated, lifeEvent }));

    [Test]
    public void An_unknown_kind_of_change_is_left_out() =>
        Assert.That(Types("person", "merged", new() { ["name"] = new("a", "b") }), Is.Empty);
}
