using System.Security.Cryptography;
using System.Text;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>A spill of personal data is sealed on disk: read back whole by its process, by nobody else, and never half.</summary>
public sealed class SealedSpillStreamTests
{
    private const string Person = "110105194912310029,张三,北京市朝阳区多福巷12号";

    /// <summary>A file that outlives the spill's own disposal, so a test can look at what reached the disk.</summary>
    private sealed class KeptFile : MemoryStream
    {
        protected override void Dispose(bool disposing)
        {
        }
    }

    private static byte[] Text(int repeat) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Person + "\n", repeat)));

    /// <summary>A spill of the text repeated, sealed and turned around; <paramref name="file"/> is what reached the disk.</summary>
    private static SealedSpillStream Sealed(int repeat, out KeptFile file)
    {
        file = new KeptFile();
        var spill = new SealedSpillStream(file);
        spill.Write(Text(repeat));
        spill.Rewind();
        return spill;
    }

    private static byte[] ReadAll(SealedSpillStream spill)
    {
        spill.Rewind();
        using var copy = new MemoryStream();
        spill.CopyTo(copy);
        return copy.ToArray();
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(1_000)] // 63 KB: one chunk, almost full
    [TestCase(5_000)] // several chunks, the last one partial
    public void What_is_written_is_read_back_whole_and_in_order(int repeat)
    {
        var text = Text(repeat);
        using var spill = new SealedSpillStream(new KeptFile());
        foreach (var piece in text.Chunk(777))
        {
            spill.Write(piece);
        }

        spill.WriteByte((byte)'!');
        Assert.That(ReadAll(spill), Is.EqualTo(text.Append((byte)'!').ToArray()));
        Assert.That(spill.Written, Is.EqualTo(text.Length + 1));
    }

    [Test]
    public void The_disk_holds_neither_the_text_nor_its_id_numbers()
    {
        using var spill = Sealed(3_000, out var file);

        var onDisk = file.ToArray();
        Assert.That(onDisk.Length, Is.GreaterThan(Text(3_000).Length), "everything reached the file, with a length and a tag a chunk");
        foreach (var plain in new[] { "110105194912310029", "张三", "多福巷" })
        {
            Assert.That(IndexOf(onDisk, Encoding.UTF8.GetBytes(plain)), Is.EqualTo(-1), plain);
        }
    }

    [Test]
    public void Two_spills_of_the_same_text_seal_it_differently()
    {
        using (Sealed(10, out var first))
        using (Sealed(10, out var second))
        {
            Assert.That(first.ToArray(), Is.Not.EqualTo(second.ToArray()), "each spill has a key of its own");
        }
    }

    [TestCase(30)] // inside a chunk's sealed bytes
    [TestCase(2)] // its length
    public void An_altered_byte_fails_the_read(int at)
    {
        using var spill = Sealed(100, out var file);
        file.GetBuffer()[at] ^= 0x20;

        Assert.That(() => spill.CopyTo(Stream.Null), Throws.InstanceOf<CryptographicException>().Or.InstanceOf<InvalidDataException>());
    }

    [Test]
    public void A_spill_cut_short_fails_the_read()
    {
        using var spill = Sealed(100, out var file);
        file.SetLength(file.Length - 10);

        Assert.That(() => spill.CopyTo(Stream.Null), Throws.InstanceOf<InvalidDataException>());
    }

    [Test]
    public void Chunks_swapped_fail_the_read()
    {
        using var spill = Sealed(5_000, out var file);

        // The first two chunks are full: each is its 4-byte length, 16-byte tag and 64 KB of sealed bytes.
        var chunk = 4 + 16 + (1 << 16);
        var bytes = file.GetBuffer();
        var first = bytes[..chunk];
        Array.Copy(bytes, chunk, bytes, 0, chunk);
        Array.Copy(first, 0, bytes, chunk, chunk);

        Assert.That(() => spill.CopyTo(Stream.Null), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public void A_spill_is_written_whole_before_it_is_read()
    {
        using var spill = new SealedSpillStream(new KeptFile());
        Assert.That(() => spill.ReadByte(), Throws.InvalidOperationException);
        spill.Rewind();
        Assert.That(() => spill.WriteByte(1), Throws.InvalidOperationException);
        Assert.That(spill.ReadByte(), Is.EqualTo(-1), "an empty spill reads as empty");
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
