namespace DataPool.Demo.Seeding.Sources;

/// <summary>Kinds of dirt the generator injects (names used in expected.json).</summary>
internal static class DirtKinds
{
    // Rows that must be quarantined.
    public const string BadCheck = "bad_check_character";
    public const string ImpossibleDate = "impossible_date";
    public const string UnknownCode = "unknown_code";
    public const string Ragged = "ragged_line";
    public const string GenderMismatch = "gender_mismatch";
    public const string BirthMismatch = "birth_date_mismatch";
    public const string MissingId = "missing_id_number";

    // Rows that are accepted after normalisation.
    public const string LowerX = "lower_case_x";
    public const string FullWidth = "full_width_digits";
    public const string Spaces = "spaces_in_id";
    public const string Id15 = "id_15_digit";
    public const string Traditional = "traditional_name";
    public const string PhoneDiffers = "phone_differs";
    public const string AddressDiffers = "address_differs";
    public const string NearDuplicate = "written_by_ear";

    // Accepted rows whose value is flagged (onInvalid: flag).
    public const string LongTerm = "valid_until_long_term";
    public const string BadPhone = "malformed_phone";

    public const string Duplicate = "duplicate";
}

/// <summary>What happens to one written row: its key, the dirt in it and the streams that must quarantine it.</summary>
/// <param name="BadFor">Bit mask of the source's streams (by index) that must quarantine the row.</param>
/// <param name="FlagFor">Bit mask of streams that accept the row with a flagged value.</param>
/// <param name="HouseholdKey">The key for streams keyed by household number over the same rows.</param>
internal readonly record struct RowFate(string Key, string? Dirt = null, int BadFor = 0, int FlagFor = 0, bool Duplicate = false, string? HouseholdKey = null)
{
    public static RowFate Clean(string key) => new(key);
}

/// <summary>Counts one stream's rows as the pipeline will see them.</summary>
internal sealed class StreamTally(string name, string entity, bool householdKeyed)
{
    public string Name { get; } = name;
    public string Entity { get; } = entity;
    public long Read { get; private set; }
    public long Duplicates { get; private set; }
    public long Flagged { get; private set; }
    public List<BadRowInfo> Bad { get; } = [];

    public void Count(string location, in RowFate fate, bool bad, bool flagged)
    {
        Read++;
        if (fate.Duplicate)
        {
            Duplicates++;
        }

        if (bad)
        {
            Bad.Add(new BadRowInfo(location, Read, householdKeyed ? fate.HouseholdKey ?? fate.Key : fate.Key, fate.Dirt ?? "?"));
        }
        else if (flagged)
        {
            Flagged++;
        }
    }

    public StreamSummary ToSummary() => new(Name, Entity, Read, Read - Bad.Count, Bad.Count, Duplicates, Flagged, Bad);
}

/// <summary>Counts a source's rows, per file and per stream, while its files are written.</summary>
internal sealed class SourceTally(string id, string department, string kind, string folder, string definition)
{
    private readonly SortedDictionary<string, long> _dirt = new(StringComparer.Ordinal);
    private readonly List<string> _files = [];

    public List<StreamTally> Streams { get; } = [];
    public long RowsWritten { get; private set; }
    public long BadRows { get; private set; }
    public long DuplicateRows { get; private set; }
    public long FlaggedRows { get; private set; }

    public StreamTally Stream(string name, string entity, bool householdKeyed = false)
    {
        var stream = new StreamTally(name, entity, householdKeyed);
        Streams.Add(stream);
        return stream;
    }

    public void File(string name) => _files.Add($"{folder}/{name}");

    /// <summary>Records one written data row, read by <paramref name="readers"/> (the streams over its file).</summary>
    public void Row(string location, in RowFate fate, params ReadOnlySpan<StreamTally> readers)
    {
        RowsWritten++;
        var anyBad = false;
        var anyFlag = false;
        foreach (var stream in readers)
        {
            var bit = 1 << Streams.IndexOf(stream);
            var bad = (fate.BadFor & bit) != 0;
            var flagged = (fate.FlagFor & bit) != 0;
            anyBad |= bad;
            anyFlag |= flagged && !bad;
            stream.Count(location, fate, bad, flagged);
        }

        BadRows += anyBad ? 1 : 0;
        FlaggedRows += anyFlag ? 1 : 0;
        if (fate.Duplicate)
        {
            DuplicateRows++;
            Note(DirtKinds.Duplicate);
        }
        else if (fate.Dirt is { } dirt)
        {
            Note(dirt);
        }
    }

    /// <summary>Counts dirt that does not decide the row's fate (a differing phone, a traditional name).</summary>
    public void Note(string dirt) => _dirt[dirt] = _dirt.GetValueOrDefault(dirt) + 1;

    public int Mask(StreamTally stream) => 1 << Streams.IndexOf(stream);

    public SourceSummary ToSummary() => new(
        id, department, kind, $"{folder}/{definition}", _files, RowsWritten, BadRows, DuplicateRows, FlaggedRows,
        Streams.Sum(s => s.Read), Streams.Sum(s => (long)s.Bad.Count), _dirt, Streams.Select(s => s.ToSummary()).ToList());
}

/// <summary>
/// The kinds of dirt a source injects, handed out in a fixed rotation: every kind shows up as soon
/// as a source has a few dirty rows, even at demo scale, in the proportions the rotation lists them.
/// </summary>
internal sealed class DirtCycle(params string[] kinds)
{
    private int _next;

    public string Next() => kinds[_next++ % kinds.Length];
}
