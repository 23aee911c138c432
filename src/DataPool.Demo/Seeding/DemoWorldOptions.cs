namespace DataPool.Demo.Seeding;

/// <summary>What <see cref="DemoWorldGenerator.Generate"/> builds: how many residents, where, from which seed.</summary>
public sealed record DemoWorldOptions(int Persons, string OutputDirectory, int Seed = 20190101);

/// <summary>
/// What a generated demo world holds and what a correct sync of it must report. Written next to the
/// world as expected.json; tests and the pipeline reconcile against it.
/// </summary>
public sealed record DemoWorldSummary(
    int Seed,
    string ReferenceDate,
    int Persons,
    int Households,
    int Communities,
    int Streets,
    IReadOnlyList<SourceSummary> Sources);

/// <summary>
/// One legacy source of the demo world. <see cref="RowsWritten"/> counts data rows in its files
/// (duplicates and bad rows included); <see cref="BadRows"/> the rows that must be quarantined by at
/// least one stream; <see cref="ExpectedRead"/> and <see cref="ExpectedQuarantined"/> sum the streams,
/// as a sync reports them (a file read by two streams is read twice).
/// </summary>
public sealed record SourceSummary(
    string Id,
    string Department,
    string Kind,
    string Definition,
    IReadOnlyList<string> Files,
    long RowsWritten,
    long BadRows,
    long DuplicateRows,
    long FlaggedRows,
    long ExpectedRead,
    long ExpectedQuarantined,
    IReadOnlyDictionary<string, long> Dirt,
    IReadOnlyList<StreamSummary> Streams);

/// <summary>
/// One stream of a source: read = accepted + quarantined. <see cref="FlaggedRows"/> are accepted rows
/// carrying a value that its mapping flags (<c>onInvalid: flag</c>) instead of quarantining.
/// </summary>
public sealed record StreamSummary(
    string Name,
    string Entity,
    long Read,
    long Accepted,
    long Quarantined,
    long DuplicateRows,
    long FlaggedRows,
    IReadOnlyList<BadRowInfo> BadRows);

/// <summary>
/// A row that must be quarantined: where the connector finds it (its <c>RawRow.Location</c>), its
/// number among the stream's rows (<c>RawRow.Number</c>), its key as written, and the injected defect.
/// </summary>
public sealed record BadRowInfo(string Location, long Number, string Key, string Defect);
