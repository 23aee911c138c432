using DataPool.Abstractions;
using DataPool.Core.Values;

namespace DataPool.Core.Sync;

/// <summary>
/// A row's source key, from the stream's key columns: one column's cleaned text, or the columns joined by a unit
/// separator. A key column mapped to an ID number is normalised, so that the same resident written 'x' or 'X',
/// 15 or 18 digits, is the same source row.
/// </summary>
internal sealed class SourceKeys
{
    private readonly IReadOnlyList<string> _columns;
    private readonly int[] _idColumns;

    public SourceKeys(StreamDefinition stream, IReadOnlyList<FieldPlan> plans)
    {
        _columns = stream.Key;
        _idColumns = stream.Key
            .Select((column, i) => plans.Any(p => p.Parse == ParseKind.IdNumber && p.Mapping.From.Count == 1 && p.Mapping.From[0] == column) ? i : -1)
            .Where(i => i >= 0)
            .ToArray();
    }

    /// <summary>The row's key; null when a key column is empty.</summary>
    public string? Of(RawRow row)
    {
        if (_columns.Count == 1 && _idColumns.Length == 0)
        {
            return Text.Clean(row[_columns[0]]);
        }

        var parts = new string[_columns.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            var text = Text.Clean(row[_columns[i]]);
            if (text is null)
            {
                return null;
            }

            parts[i] = Array.IndexOf(_idColumns, i) >= 0 && IdNumber.TryNormalise(text, out var id, out _) ? id : text;
        }

        return string.Join('\u001f', parts);
    }
}
