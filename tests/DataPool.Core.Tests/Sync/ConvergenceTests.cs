using System.Text;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Sync;

/// <summary>
/// The pool is a function of what the sources hold: whatever bad, changed or cut-off files came in between, once
/// every source delivers its good file again the golden records equal those of a pool that only ever saw the good
/// files (synced first in the same order, since a value first seen later is legitimately the more recent one).
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class ConvergenceTests(string store)
{
    private const int ResidentCount = 12;
    private const int Sequences = 30;

    /// <summary>Three sources of persons: two share a priority, so ties fall to the source id, never to sync order.</summary>
    private static readonly (string Id, int Priority, string Department)[] Sources =
        [("hukou", 10, "public-security"), ("ledger", 1, "community"), ("health", 1, "health")];

    private enum Variant { Good, Bad, Changed, Partial }

    [Test]
    public async Task After_any_sequence_of_bad_and_good_syncs_the_good_files_give_the_pool_that_only_saw_good_files()
    {
        var fresh = new Dictionary<string, List<string>>();
        for (var seed = 1; seed <= Sequences; seed++)
        {
            var random = new Random(seed);
            var first = Sources.Select(s => s.Id).OrderBy(_ => random.Next()).ToArray();
            var steps = new List<(string Source, Variant Variant)>(first.Select(id => (id, Variant.Good)));
            for (var i = random.Next(3, 7); i > 0; i--)
            {
                steps.Add((Sources[random.Next(Sources.Length)].Id, (Variant)random.Next(4)));
            }

            steps.AddRange(Sources.Select(s => s.Id).OrderBy(_ => random.Next()).Select(id => (id, Variant.Good)));

            var order = string.Join(",", first);
            if (!fresh.TryGetValue(order, out var expected))
            {
                expected = fresh[order] = await GoldenAfterAsync(first.Select(id => (id, Variant.Good)), seed);
            }

            var actual = await GoldenAfterAsync(steps, seed);
            Assert.That(actual, Is.EqualTo(expected),
                $"seed {seed}: {string.Join(" → ", steps.Select(s => $"{s.Source}:{s.Variant}"))}");
        }
    }

    [Test]
    public async Task A_phone_that_goes_bad_and_comes_back_keeps_its_first_seen_time()
    {
        // The ledger's phone is the newer; a bad ledger file (phones changed) and the good one again must not make
        // the ledger's phone newer than it was, nor the household register's older.
        var host = await PoolTestHost.CreateAsync(store);
        await using var _ = host;
        foreach (var (source, variant) in new[] { ("hukou", Variant.Good), ("ledger", Variant.Good), ("hukou", Variant.Changed), ("hukou", Variant.Good) })
        {
            Write(host, source, variant, 0);
            var result = await host.SyncAsync($"{source}.source.json");
            Assert.That(result.Succeeded, Is.True, result.Error);
        }

        var phones = (await host.QueryAsync("SELECT phone FROM pool_person")).Select(r => r["phone"]);
        Assert.That(phones, Is.EquivalentTo(Enumerable.Range(1, ResidentCount).Select(r => Phone("ledger", r, Variant.Good))),
            "the ledger's phones were first seen after the household register's, and still are");
    }

    [Test]
    public async Task A_stated_as_of_column_ranks_recent_values_by_the_sources_own_dates()
    {
        var host = await PoolTestHost.CreateAsync(store);
        await using var _ = host;
        // Synced last, but the ledger says its phone dates from 2020; the register's is from 2024.
        WriteAsOf(host, "hukou", 10, "13800000001", "2024-05-01");
        WriteAsOf(host, "ledger", 1, "13900000001", "2020-01-31 08:00:00");
        Assert.That((await host.SyncAsync("hukou.source.json")).Succeeded, Is.True);
        Assert.That((await host.SyncAsync("ledger.source.json")).Succeeded, Is.True);
        Assert.That((await host.QueryAsync("SELECT phone FROM pool_person")).Single()["phone"], Is.EqualTo("13800000001"));

        WriteAsOf(host, "ledger", 1, "13900000001", "2025-02-01");
        Assert.That((await host.SyncAsync("ledger.source.json")).Succeeded, Is.True);
        Assert.That((await host.QueryAsync("SELECT phone FROM pool_person")).Single()["phone"], Is.EqualTo("13900000001"), "the ledger now states a later date");
    }

    private async Task<List<string>> GoldenAfterAsync(IEnumerable<(string Source, Variant Variant)> steps, int seed)
    {
        var host = await PoolTestHost.CreateAsync(store);
        await using var _ = host;
        foreach (var (source, variant) in steps)
        {
            Write(host, source, variant, seed);
            await host.SyncAsync($"{source}.source.json"); // a bad file may fail its run: that is part of the sequence
        }

        // Golden values and which source row supplied each, by the source's own key (record ids depend on sync order).
        var keys = (await host.QueryAsync("SELECT id, source_id, source_key FROM dp_source_records"))
            .ToDictionary(r => Convert.ToInt64(r["id"]), r => $"{r["source_id"]}/{r["source_key"]}");
        var rows = await host.QueryAsync("SELECT id_number, name, phone, address, _deleted, _provenance FROM pool_person ORDER BY id_number");
        return rows.Select(r =>
        {
            var provenance = System.Text.Json.JsonSerializer.Deserialize<SortedDictionary<string, long>>((string)r["_provenance"]!)!
                .Select(p => $"{p.Key}←{(keys.TryGetValue(p.Value, out var key) ? key : "?")}");
            return $"{r["id_number"]}|{r["name"]}|{r["phone"]}|{r["address"]}|deleted={r["_deleted"]}|{string.Join(",", provenance)}";
        }).ToList();
    }

    private static string Id(int resident) => Support.Residents.Id("19600101", resident);

    /// <summary>Each source's phone of a resident; a changed file takes one of two other phones (a small set, as real edits flip back and forth).</summary>
    private static string Phone(string source, int resident, Variant variant, int pick = 0) =>
        $"1{3 + Array.FindIndex(Sources, s => s.Id == source)}{(variant == Variant.Changed ? 1 + pick : 0)}{resident:D8}";

    private static void Write(PoolTestHost host, string source, Variant variant, int seed)
    {
        var random = new Random((seed * 31) + (Array.FindIndex(Sources, s => s.Id == source) * 7) + (int)variant);
        var csv = new StringBuilder("id,name,phone,address\n");
        var rows = variant == Variant.Partial ? ResidentCount - random.Next(1, 4) : ResidentCount;
        for (var resident = 1; resident <= rows; resident++)
        {
            var touched = variant is Variant.Bad or Variant.Changed && random.Next(3) == 0;
            var phone = touched && variant == Variant.Bad ? "12x" : Phone(source, resident, touched ? variant : Variant.Good, random.Next(2));
            var name = touched && variant == Variant.Changed ? $"张{resident}改" : $"张{resident}";
            // Address lengths differ by source for some residents only, so "complete" also meets ties.
            var address = resident % 3 == 0 ? $"东城区{source}{resident}号" : $"东城区{resident}号";
            csv.Append($"{Id(resident)},{name},{phone},{address}\n");
        }

        host.WriteFile($"{source}.csv", csv.ToString());
        var (id, priority, department) = Sources.Single(s => s.Id == source);
        host.WriteFile($"{source}.source.json", $$"""
            {
              "id": "{{id}}", "name": "{{id}}", "department": "{{department}}", "kind": "csv",
              "settings": { "path": "{{id}}.csv" }, "priority": {{priority}},
              "streams": [{ "name": "persons", "entity": "person", "key": ["id"],
                "fields": { "id_number": { "from": "id" }, "name": { "from": "name" }, "phone": { "from": "phone" }, "address": { "from": "address" } } }]
            }
            """);
    }

    private static void WriteAsOf(PoolTestHost host, string source, int priority, string phone, string updated)
    {
        host.WriteFile($"{source}.csv", $"id,name,phone,updated\n{Id(1)},张三,{phone},{updated}\n");
        host.WriteFile($"{source}.source.json", $$"""
            {
              "id": "{{source}}", "name": "{{source}}", "department": "community", "kind": "csv",
              "settings": { "path": "{{source}}.csv" }, "priority": {{priority}},
              "streams": [{ "name": "persons", "entity": "person", "key": ["id"], "asOf": "updated",
                "fields": { "id_number": { "from": "id" }, "name": { "from": "name" }, "phone": { "from": "phone" } } }]
            }
            """);
    }
}
