using DataPool.Core.Store.Writing;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>A golden record's provenance JSON, written through one reused buffer per thread.</summary>
public sealed class GoldenColumnsTests
{
    [Test]
    public void Each_provenance_holds_its_own_fields_only_after_a_longer_one_used_the_buffer()
    {
        var longer = new Dictionary<string, Survivor>(StringComparer.Ordinal)
        {
            ["id_number"] = new("110101195703020011", 12), ["name"] = new("张三", 34), ["address"] = new("多福巷1号", 5_000_000_000),
        };
        var shorter = new Dictionary<string, Survivor>(StringComparer.Ordinal) { ["phone"] = new("13800138000", 7) };

        Assert.That(GoldenColumns.Provenance(longer), Is.EqualTo("""{"id_number":12,"name":34,"address":5000000000}"""));
        Assert.That(GoldenColumns.Provenance(shorter), Is.EqualTo("""{"phone":7}"""));
        Assert.That(GoldenColumns.Provenance(new Dictionary<string, Survivor>()), Is.EqualTo("{}"));
    }

    [Test]
    public void A_record_whose_values_all_came_from_one_source_record_names_that_record_once()
    {
        var golden = new Dictionary<string, Survivor>(StringComparer.Ordinal)
        {
            ["id_number"] = new("110101195703020011", 12), ["name"] = new("张三", 12), ["address"] = new("多福巷1号", 12),
        };

        var stored = GoldenColumns.Provenance(golden);

        Assert.That(stored, Is.EqualTo("""{"*":12}"""));
        Assert.That(GoldenColumns.ReadProvenance(stored, golden.Keys),
            Is.EqualTo(new Dictionary<string, long> { ["id_number"] = 12, ["name"] = 12, ["address"] = 12 }));
        Assert.That(GoldenColumns.Provenance(new Dictionary<string, Survivor> { ["phone"] = new("13800138000", 7) }), Is.EqualTo("""{"phone":7}"""),
            "one field keeps its name: the short form would be no shorter");
    }

    [TestCase("")]
    [TestCase("phone")]
    [TestCase("id_number name address")]
    public void A_new_record_made_from_one_source_record_gets_the_provenance_its_survivors_would_give(string names)
    {
        var fields = names.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // A creation writes its provenance from the record's fields, without building survivors first.
        var survivors = fields.ToDictionary(field => field, field => new Survivor("value of " + field, 5_000_000_001), StringComparer.Ordinal);

        Assert.That(GoldenColumns.Provenance(fields, 5_000_000_001), Is.EqualTo(GoldenColumns.Provenance(survivors)));
    }

    [Test]
    public void A_provenance_of_several_records_or_written_before_the_short_form_reads_as_stored()
    {
        const string stored = """{"id_number":12,"name":12,"phone":34}""";

        Assert.That(GoldenColumns.ReadProvenance(stored, ["id_number", "name", "phone", "address"]),
            Is.EqualTo(new Dictionary<string, long> { ["id_number"] = 12, ["name"] = 12, ["phone"] = 34 }));
        Assert.That(GoldenColumns.ReadProvenance(null, ["name"]), Is.Empty);
    }

    [Test]
    public async Task Threads_writing_provenance_at_once_never_mix_their_records()
    {
        var wrong = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var golden = new Dictionary<string, Survivor>(StringComparer.Ordinal) { [$"f{t}"] = new("v", i) };
                if (GoldenColumns.Provenance(golden) != $$"""{"f{{t}}":{{i}}}""")
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        })));
        Assert.That(wrong, Is.Zero);
    }
}
