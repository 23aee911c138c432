using System.IO.Hashing;
using System.Runtime.InteropServices;
using DataPool.Abstractions;

namespace DataPool.Core.Store.Writing;

/// <summary>64-bit fingerprints of rows: unchanged rows are recognised without mapping them again.</summary>
internal static class RowHasher
{
    /// <summary>Ends each column's value in a row hash, so that ("ab", "c") and ("a", "bc") differ.</summary>
    public const char Separator = '\u001f';

    /// <summary>
    /// Replaces <see cref="HashKey"/> within one async flow. Tests force source-key hash collisions with it; real key
    /// hashes collide too rarely to exercise the code that must survive them.
    /// </summary>
    internal static readonly AsyncLocal<Func<string, long>?> KeyHashOverride = new();

    public static long HashText(string text) => (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));

    /// <summary>A source key's fingerprint: where a stored record is looked up in memory, never proof it is the same key.</summary>
    public static long HashKey(string key) => KeyHashOverride.Value is { } forced ? forced(key) : HashText(key);
}

/// <summary>
/// One stream's row hash: the columns it maps, each value followed by <see cref="RowHasher.Separator"/>, hashed
/// with a seed made of the mapping itself so that editing a mapping re-processes every row. The columns are
/// found once per header and the text is gathered in one reused buffer, so a row costs one hash and no allocation.
/// </summary>
internal sealed class StreamRowHasher(long seed, IReadOnlyList<string> columns)
{
    private RowHeader? _header;
    private int[] _indexes = [];
    private char[] _buffer = new char[512];

    public long Hash(RawRow row)
    {
        if (!ReferenceEquals(row.Header, _header))
        {
            _indexes = columns.Select(c => row.Header.TryGetIndex(c, out var i) ? i : -1).ToArray();
            _header = row.Header;
        }

        var length = 0;
        foreach (var index in _indexes)
        {
            var value = index >= 0 && index < row.Values.Length ? row.Values[index] : null;
            var needed = length + (value?.Length ?? 0) + 1;
            if (needed > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
            }

            value.AsSpan().CopyTo(_buffer.AsSpan(length));
            length += value?.Length ?? 0;
            _buffer[length++] = RowHasher.Separator;
        }

        return (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(_buffer.AsSpan(0, length)), seed);
    }
}
