namespace DataPool.Benchmarks;

/// <summary>One timed sync: which store, which scenario, how long, how much memory, what it counted.</summary>
internal sealed record ScenarioResult(string Store, string Source, string Scenario, ChildResult Run, SyncLine Counts, IReadOnlyList<CountCheck> Checks)
{
    public double RowsPerSecond => Counts.Read / Run.Wall.TotalSeconds;

    public bool CountsOk => Checks.All(c => c.Pass);
}

/// <summary>
/// The three scenarios of the issue, each a fresh <c>datapool sync</c> process against one store:
/// full sync into an empty pool, unchanged re-sync, re-sync with 1% of the rows changed.
/// </summary>
internal sealed class Scenarios(ServerExe server, SourceUnderTest source, Expectation? expectation, int seed, string work)
{
    public const string Full = "full sync";
    public const string Unchanged = "unchanged re-sync";
    public const string Changed = "1% changed re-sync";

    /// <summary>The 1% rewrite (the same for every store: same seed, same input).</summary>
    public ChangeResult? Change { get; private set; }

    /// <summary>The three scenarios in order; <paramref name="label"/> tags the progress lines (store, repetition).</summary>
    public IReadOnlyList<ScenarioResult> Run(IStoreTarget store, string label)
    {
        var results = new List<ScenarioResult>();
        store.Reset();
        var full = Sync(store, label, Full);
        results.Add(full with { Checks = CountExpectations.Full(full.Counts, expectation) });

        var unchanged = Sync(store, label, Unchanged);
        results.Add(unchanged with { Checks = CountExpectations.Unchanged(unchanged.Counts, full.Counts) });

        // The generated file is set aside and put back afterwards, so every store starts from the same file.
        var persons = source.Persons.Path;
        var original = persons + ".original";
        File.Copy(persons, original, overwrite: true);
        try
        {
            Console.WriteLine($"[{label}] changing the phone of every {PhoneChanger.Every}th row of {Path.GetFileName(persons)} …");
            Change = PhoneChanger.Apply(source.Persons, expectation?.PersonBadLines ?? new HashSet<long>(), seed);
            Console.WriteLine($"[{label}]   {Change.Changed} of {Change.DataRows} rows changed (column {Change.PhoneColumn}); passed over " +
                $"{Change.PassedBad} quarantined, {Change.PassedDuplicate} duplicated, {Change.PassedRagged} ragged");
            var changed = Sync(store, label, Changed);
            results.Add(changed with { Checks = CountExpectations.Changed(changed.Counts, full.Counts, Change, exact: expectation is not null) });
        }
        finally
        {
            File.Move(original, persons, overwrite: true);
        }

        return results;
    }

    private ScenarioResult Sync(IStoreTarget store, string label, string scenario)
    {
        Console.WriteLine($"[{label}] {scenario} …");
        var run = ChildRunner.Run(server.Dotnet, server.Args(["sync", source.DefinitionPath, .. store.ServerArgs]), work).EnsureSuccess();
        var counts = SyncLine.Parse(source.Id, run);
        Console.WriteLine($"[{label}]   {run.Wall.TotalSeconds:F2} s, peak {run.PeakRssMb:F0} MB: {counts}");
        return new ScenarioResult(store.Name, "hukou", scenario, run, counts, []);
    }
}
