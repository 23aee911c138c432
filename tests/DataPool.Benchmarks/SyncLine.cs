using System.Globalization;
using System.Text.RegularExpressions;

namespace DataPool.Benchmarks;

/// <summary>The summary line of <c>sync</c> (contract):
/// <c>&lt;source-id&gt;: read=N accepted=N quarantined=N new=N updated=N unchanged=N deleted=N</c>.</summary>
internal sealed record SyncLine(long Read, long Accepted, long Quarantined, long New, long Updated, long Unchanged, long Deleted)
{
    public static SyncLine Parse(string sourceId, ChildResult run)
    {
        var pattern = new Regex($@"^{Regex.Escape(sourceId)}: read=(\d+) accepted=(\d+) quarantined=(\d+) new=(\d+) updated=(\d+) unchanged=(\d+) deleted=(\d+)\s*$");
        foreach (var line in run.Stdout.Reverse())
        {
            var m = pattern.Match(line);
            if (m.Success)
            {
                long N(int i) => long.Parse(m.Groups[i].ValueSpan, CultureInfo.InvariantCulture);
                return new SyncLine(N(1), N(2), N(3), N(4), N(5), N(6), N(7));
            }
        }

        throw new BenchmarkException($"'{run.Command}' printed no '{sourceId}: read=… deleted=…' line. Its stdout:\n  " + string.Join("\n  ", run.Stdout.TakeLast(20)));
    }

    public override string ToString() =>
        $"read={Read} accepted={Accepted} quarantined={Quarantined} new={New} updated={Updated} unchanged={Unchanged} deleted={Deleted}";
}

/// <summary>One count compared with what the scenario must produce; <c>Low..High</c> is exact when equal.</summary>
internal sealed record CountCheck(string Field, long Actual, long Low, long High)
{
    public bool Pass => Actual >= Low && Actual <= High;

    public override string ToString() => Low == High
        ? $"{Field}: expected {Low}, got {Actual}"
        : $"{Field}: expected {Low}..{High}, got {Actual}";
}

/// <summary>What each scenario's counts must be. The contract's two identities hold for every run; the
/// rest follows from what the scenario did to the file and from the generator's answer key.</summary>
internal static class CountExpectations
{
    public static List<CountCheck> Identities(SyncLine s) =>
    [
        Exact("read = accepted + quarantined", s.Read, s.Accepted + s.Quarantined),
        Exact("accepted = new + updated + unchanged", s.Accepted, s.New + s.Updated + s.Unchanged),
    ];

    /// <summary>Fresh pool: every accepted row is new, except exact duplicates inside the export, which the
    /// contract counts as unchanged ("changed nothing").</summary>
    public static List<CountCheck> Full(SyncLine s, Expectation? e)
    {
        var checks = Identities(s);
        checks.Add(Exact("updated", s.Updated, 0));
        checks.Add(Exact("deleted", s.Deleted, 0));
        if (e is null)
        {
            checks.Add(new CountCheck("unchanged (in-file duplicates, ≤ 1% of read)", s.Unchanged, 0, s.Read / 100));
            return checks;
        }

        checks.Add(Exact("read", s.Read, e.Read));
        checks.Add(Exact("quarantined", s.Quarantined, e.Quarantined));
        checks.Add(Exact("unchanged (in-file duplicates)", s.Unchanged, e.Duplicates));
        checks.Add(Exact("new = accepted - duplicates", s.New, e.Read - e.Quarantined - e.Duplicates));
        return checks;
    }

    /// <summary>Same file again: every accepted row unchanged, nothing new, changed or gone.</summary>
    public static List<CountCheck> Unchanged(SyncLine s, SyncLine full)
    {
        var checks = Identities(s);
        checks.Add(Exact("read", s.Read, full.Read));
        checks.Add(Exact("quarantined", s.Quarantined, full.Quarantined));
        checks.Add(Exact("unchanged = accepted", s.Unchanged, s.Accepted));
        checks.Add(Exact("new", s.New, 0));
        checks.Add(Exact("updated", s.Updated, 0));
        checks.Add(Exact("deleted", s.Deleted, 0));
        return checks;
    }

    /// <summary>1% of phones changed: exactly those rows updated when the rewrite could avoid quarantined and
    /// duplicated rows (answer key present); otherwise within 5% below, as a few changed rows may be bad.</summary>
    public static List<CountCheck> Changed(SyncLine s, SyncLine full, ChangeResult change, bool exact)
    {
        var checks = Identities(s);
        checks.Add(Exact("read", s.Read, full.Read));
        checks.Add(Exact("new", s.New, 0));
        checks.Add(Exact("deleted", s.Deleted, 0));
        if (exact)
        {
            checks.Add(Exact("updated = rows changed", s.Updated, change.Changed));
            checks.Add(Exact("quarantined", s.Quarantined, full.Quarantined));
            checks.Add(Exact("unchanged = accepted - changed", s.Unchanged, full.Accepted - change.Changed));
        }
        else
        {
            checks.Add(new CountCheck("updated ≈ rows changed", s.Updated, change.Changed * 95 / 100, change.Changed));
        }

        return checks;
    }

    private static CountCheck Exact(string field, long actual, long expected) => new(field, actual, expected, expected);
}
