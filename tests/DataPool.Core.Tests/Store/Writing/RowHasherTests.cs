using System.IO.Hashing;
using System.Runtime.InteropServices;
using DataPool.Abstractions;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>
/// The row hash is stored with every source record: computing it faster must not change it, or the first sync after
/// an upgrade would rewrite every record of every stream.
/// </summary>
public sealed class RowHasherTests
{
    /// <summary>The hash as it was first defined: each mapped column's text and a separator, streamed into XXH3 with the stream's seed.</summary>
    private static long Streamed(long seed, RawRow row, IEnumerable<string> columns)
    {
        var hash = new XxHash3(seed);
        foreach (var column in columns)
        {
            hash.Append(MemoryMarshal.AsBytes((row[column] ?? "").AsSpan()));
            hash.Append(MemoryMarshal.AsBytes(new[] { '\u001f' }.AsSpan()));
        }

        return (long)hash.GetCurrentHashAsUInt64();
    }

    [Test]
    public void The_one_buffer_hash_equals_the_streamed_hash_for_every_row_shape()
    {
        var header = new RowHeader(["身份证号", "姓名", "住址", "备注"]);
        var columns = new[] { "身份证号", "住址", "姓名", "不存在" };
        var hasher = new StreamRowHasher(1234567, columns);
        var random = new Random(17);
        for (var n = 0; n < 200; n++)
        {
            var values = Enumerable.Range(0, random.Next(0, 5))
                .Select(_ => random.Next(4) == 0 ? null : new string((char)random.Next(0x4E00, 0x4F00), random.Next(0, n * 4)))
                .ToArray();
            var row = new RawRow(header, values, n + 1, $"line {n}");
            Assert.That(hasher.Hash(row), Is.EqualTo(Streamed(1234567, row, columns)), $"row {n}");
        }
    }

    [Test]
    public void Values_that_only_move_between_columns_hash_differently()
    {
        var header = new RowHeader(["a", "b"]);
        var hasher = new StreamRowHasher(1, ["a", "b"]);
        Assert.That(hasher.Hash(new RawRow(header, ["ab", "c"], 1, "1")), Is.Not.EqualTo(hasher.Hash(new RawRow(header, ["a", "bc"], 2, "2"))));
    }
}
