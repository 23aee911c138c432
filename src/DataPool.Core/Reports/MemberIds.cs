using System.Globalization;
using System.IO.Compression;

namespace DataPool.Core.Reports;

/// <summary>
/// The pool ids behind one number, stored with the run so that tracing a cell answers exactly what the snapshot
/// held, whatever syncs happened since: sorted, delta-encoded as varints, deflated (a million ids take about a
/// megabyte before compression, far less after).
/// </summary>
public static class MemberIds
{
    /// <summary>Parses the comma-separated ids the aggregation returns (SQLite group_concat, PostgreSQL string_agg).</summary>
    public static long[] Parse(string? commaSeparated)
    {
        if (string.IsNullOrEmpty(commaSeparated))
        {
            return [];
        }

        var ids = new List<long>();
        foreach (var range in commaSeparated.AsSpan().Split(','))
        {
            ids.Add(long.Parse(commaSeparated.AsSpan()[range], NumberStyles.None, CultureInfo.InvariantCulture));
        }

        ids.Sort();
        return [.. ids];
    }

    /// <summary>First byte: 0 when the varints follow as they are (a roster's one id per cell), 1 when deflated.</summary>
    private const int SmallList = 32;

    public static byte[] Encode(IReadOnlyList<long> sortedIds)
    {
        using var buffer = new MemoryStream();
        var small = sortedIds.Count <= SmallList;
        buffer.WriteByte(small ? (byte)0 : (byte)1);
        // Deflate pays for itself on long lists only; a stream per one-id cell would cost more than the cell.
        var target = small ? buffer : (Stream)new DeflateStream(buffer, CompressionLevel.Fastest, leaveOpen: true);
        try
        {
            Span<byte> varint = stackalloc byte[10];
            var previous = 0L;
            foreach (var id in sortedIds)
            {
                var delta = (ulong)(id - previous);
                previous = id;
                var length = 0;
                do
                {
                    var b = (byte)(delta & 0x7F);
                    delta >>= 7;
                    varint[length++] = delta == 0 ? b : (byte)(b | 0x80);
                }
                while (delta != 0);
                target.Write(varint[..length]);
            }
        }
        finally
        {
            if (!small)
            {
                target.Dispose();
            }
        }

        return buffer.ToArray();
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
