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
