using System.Data.Common;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Matching;

/// <summary>
/// Every source record a candidate person is known by, beside the person's golden record. A person's golden
/// record takes each field from one source (survivorship), so a person whose register row has the old address and
/// whose department row has the new phone shows only one of them: a new row carrying the department's values
/// would meet a stranger. A row is therefore scored against the golden record and against each live source record
/// of the person, and the best of those scores counts. The best whole record, not the best outcome per field:
/// combining each field's best outcome across records adds up agreements no single record shows (a namesake's
/// address from one record, a relative's phone from another), which inflates scores and so false links;
/// the best single record is an honest pair comparison, and the golden record is among those compared.
/// A person with one live record is not read: its golden record is that record. Only persons with a valid ID number
/// are scored record by record (see <see cref="Best"/>).
/// <para>
/// Records are read only for a candidate whose golden record leaves the decision open (<see cref="Best"/>): one that
/// scores below the link threshold and is not set apart from the row by its own fields. Where a person's records
/// differ is where the person lives and how it is reached; its name and birth date are the same in every record
/// but for slips. Reading every candidate's records each batch (one JSON parse a record) was a quarter of the link
/// time of a million persons.
/// </para>
/// </summary>
internal sealed class CandidateRecords
{
    private readonly PoolWriter _writer;
    private readonly DbCommand _find;
    private readonly Dictionary<long, List<MatchRecord>> _records = [];

    /// <summary>The persons whose stored records were read this batch.</summary>
    private readonly HashSet<long> _read = [];
    private readonly MatchWeights _weights;
    private readonly double _link;

    public CandidateRecords(PoolWriter writer, string entity, MatchWeights weights, double link)
    {
        (_weights, _link) = (weights, link);
        _writer = writer;
        _find = writer.Command(
            $"SELECT pool_id, data FROM dp_source_records WHERE entity = @entity AND deleted = 0 AND {writer.Dialect.InList("pool_id", "@pools")}");
        _find.AddParameter("@entity", entity);
        _find.AddParameter("@pools");
    }

    /// <summary>Reads the live source records of the persons not read yet (in one query), keeping those of persons with more than one.</summary>
    public void Load(IEnumerable<long> pools, Func<long, long> resolve)
    {
        var unread = pools.Where(_read.Add).ToList();
        if (unread.Count == 0)
        {
            return;
        }

        // A record this batch changed is read as changed, as where each change is written at once.
        _writer.FlushRecordUpdates();
        _find.Parameters["@pools"].Value = _writer.Dialect.ListValue(unread);
        var texts = new Dictionary<long, List<string>>();
        using (var reader = _find.ExecuteReader())
        {
            while (reader.Read())
            {
                var pool = resolve(reader.GetInt64(0));
                if (!texts.TryGetValue(pool, out var list))
                {
                    texts[pool] = list = [];
                }

                list.Add(reader.GetString(1));
            }
        }

        foreach (var (pool, list) in texts)
        {
            if (list.Count > 1)
            {
                foreach (var data in list)
                {
                    Add(pool, MatchRecord.FromStored(data));
                }
            }
        }
    }

    /// <summary>A row of this batch that joined a person: the next rows are scored against it too.</summary>
    public void Add(long pool, MatchRecord record)
    {
        if (!_records.TryGetValue(pool, out var list))
        {
            _records[pool] = list = [];
        }

        list.Add(record);
    }

    /// <summary>A person merged into another: its records are the survivor's now.</summary>
    public void Move(long from, long to)
    {
        if (_records.Remove(from, out var moved))
        {
            foreach (var record in moved)
            {
                Add(to, record);
            }
        }
    }

    /// <summary>The golden record and every record held for the person.</summary>
    public IEnumerable<MatchRecord> Of(long pool, MatchRecord golden)
    {
        yield return golden;
        if (_records.TryGetValue(pool, out var list))
        {
            foreach (var record in list)
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// The best total of a row against a person (<see cref="Of"/>), the record that gave it, and whether the person's stored
    /// records would be worth reading (<see cref="Load"/>) before the total is final: the golden record leaves the decision
    /// open (below the link threshold, and the two not apart by their own fields) and they have not been read.
    /// </summary>
    public (double Total, MatchRecord Record, bool Unread) Best(MatchRecord row, long pool, MatchRecord golden)
    {
        var (total, apart) = MatchScorer.Judge(row, golden, _weights);
        var best = (Total: total, Record: golden);
        // Only a person with a valid ID number: its records were joined by that number, so each is surely the person. A person
        // assembled by scores may hold a wrongly linked record, and scoring against it chains the error on (on the independent
        // labelled set, without ID numbers, it cost precision below 0.99).
        if (!golden.HasValidId)
        {
            return (best.Total, best.Record, false);
        }

        if (_records.TryGetValue(pool, out var list))
        {
            foreach (var record in list)
            {
                var score = MatchScorer.Total(row, record, _weights);
                if (score > best.Total)
                {
                    best = (score, record);
                }
            }
        }

        return (best.Total, best.Record, total < _link && !apart && !_read.Contains(pool));
    }

    /// <summary>How well two persons match: the best pair of their records (the strength of the link between them in a cluster).</summary>
    public double Between(long left, MatchRecord leftGolden, long right, MatchRecord rightGolden) =>
        Of(left, leftGolden).Max(record => Best(record, right, rightGolden).Total);

    public void Clear()
    {
        _records.Clear();
        _read.Clear();
    }
}
