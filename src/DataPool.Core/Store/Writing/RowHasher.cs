using System.IO.Hashing;
using System.Runtime.InteropServices;
using DataPool.Abstractions;

namespace DataPool.Core.Store.Writing;

/// <summary>64-bit fingerprints of rows: unchanged rows are recognised without mapping them again.</summary>
internal static class RowHasher
{
    private const char Separator = '\u001f';

    /// <summary>Hash of the columns a stream maps, seeded by the mapping itself so that editing a mapping re-processes every row.</summary>
    public static long Hash(long seed, RawRow row, IReadOnlyList<string> columns)
    {
        var hash = new XxHash3(seed);
        foreach (var column in columns)
        {
            hash.Append(MemoryMarshal.AsBytes((row[column] ?? "").AsSpan()));
            hash.Append(MemoryMarshal.AsBytes([Separator]));
        }

        return (long)hash.GetCurrentHashAsUInt64();
    }

    public static long HashText(string text) => (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));
}
