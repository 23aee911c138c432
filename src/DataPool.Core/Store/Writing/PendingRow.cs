using DataPool.Abstractions;

namespace DataPool.Core.Store.Writing;

/// <summary>A row that passed its rules and now links to the pool.</summary>
internal sealed record PendingRow(RawRow Row, string Key, long Hash, long RecordId, StoredRecord? Stored,
    Dictionary<string, string> Values, Dictionary<string, FlaggedValue>? Flags, string[] EntityKey);

/// <summary>
/// A value kept as the source wrote it because it failed validation under <c>"onInvalid": "flag"</c> (not used); or a
/// value used after cleaning removed control or bidi characters, <paramref name="Error"/> naming them.
/// </summary>
public sealed record FlaggedValue(string Raw, string Error);
