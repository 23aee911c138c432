using System.Buffers;
using System.IO.Compression;

namespace DataPool.Core.Reports;

/// <summary>
/// The pool ids behind one number, stored with the run so that tracing a cell answers exactly what the snapshot
/// held, whatever syncs happened since: sorted, delta-encoded as varints, deflated (a million ids take about a
/// megabyte before compression, far less after).
/// </summary>
public static class MemberIds
{
    /// <summary>
    /// Adds the ids of one group's packed list (comma-separated <c>pool_id × 2^n + mask</c>, see
    /// <see cref="ReportQuery.GroupSql"/>) to the lists of the measures whose bit is set: <paramref name="lists"/>
    /// from <paramref name="first"/> on, one per bit. The lists are left unsorted.
    /// </summary>
    public static void ParsePacked(string? commaSeparated, int bits, List<long>[] lists, int first)
    {
        if (string.IsNullOrEmpty(commaSeparated))
        {
            return;
        }

        // By hand rather than long.Parse per item: at 1M persons this loop reads a million numbers per report.
        var mask = (1L << bits) - 1;
        var value = 0L;
        for (var i = 0; i <= commaSeparated.Length; i++)
        {
            if (i < commaSeparated.Length && commaSeparated[i] != ',')
            {
                var digit = commaSeparated[i] - '0';
                value = (uint)digit <= 9 ? checked(value * 10 + digit) : throw new FormatException($"not a packed id list: '{commaSeparated[i]}' at {i}");
                continue;
            }

            var id = value >> bits;
            for (var measures = value & mask; measures != 0; measures &= measures - 1)
            {
                lists[first + System.Numerics.BitOperations.TrailingZeroCount(measures)].Add(id);
            }

            value = 0;
        }
    }

    /// <summary>First byte: 0 when the varints follow as they are (a roster's one id per cell), 1 when deflated.</summary>
    private const int SmallList = 32;

    public static byte[] Encode(IReadOnlyList<long> sortedIds)
    {
        // The varints first, into one buffer, then deflated in one call: a DeflateStream.Write per id (one to three
        // bytes each) cost more than the compression itself (2 s for the population report's 3M ids at 1M persons).
        var varints = ArrayPool<byte>.Shared.Rent(1 + sortedIds.Count * 10);
        try
        {
            var length = 1;
            var previous = 0L;
            foreach (var id in sortedIds)
            {
                var delta = (ulong)(id - previous);
                previous = id;
                while (delta >= 0x80)
                {
                    varints[length++] = (byte)(delta | 0x80);
                    delta >>= 7;
                }

                varints[length++] = (byte)delta;
            }

            if (sortedIds.Count <= SmallList)
            {
                varints[0] = 0;
                return varints.AsSpan(0, length).ToArray();
            }

            // Deflate pays for itself on long lists only; a stream per one-id cell would cost more than the cell.
            using var buffer = new MemoryStream(length / 2 + 64);
            buffer.WriteByte(1);
            using (var deflate = new DeflateStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                deflate.Write(varints, 1, length - 1);
            }

            return buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(varints);
        }
    }

    public static List<long> Decode(byte[]? encoded)
    {
        var ids = new List<long>();
        if (encoded is null || encoded.Length == 0)
        {
            return ids;
        }

        var body = new MemoryStream(encoded, 1, encoded.Length - 1);
        using var bytes = encoded[0] == 0 ? (Stream)body : new BufferedStream(new DeflateStream(body, CompressionMode.Decompress));
        var previous = 0L;
        ulong value = 0;
        var shift = 0;
        int read;
        while ((read = bytes.ReadByte()) >= 0)
        {
            value |= (ulong)(read & 0x7F) << shift;
            if ((read & 0x80) != 0)
            {
                shift += 7;
                continue;
            }

            previous += (long)value;
            ids.Add(previous);
            value = 0;
            shift = 0;
        }

        return ids;
    }
}
