using DataPool.Core.Store.Writing;

namespace DataPool.Core.Tests.Store.Writing;

public sealed class SortedRunsTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Path.Combine(Path.GetTempPath(), "datapool-tests", "runs-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static List<WalkEntry> Random(int count, int seed)
    {
        var random = new Random(seed);
        // Some keys repeat, and the range's ends are in: equal keys and extremes must survive the merge.
        return Enumerable.Range(0, count)
            .Select(i => new WalkEntry(i % 97 == 0 ? long.MinValue : i % 89 == 0 ? long.MaxValue : random.NextInt64(long.MinValue, long.MaxValue) >> (i % 3 == 0 ? 50 : 0), i, -i))
            .ToList();
    }

    [TestCase(10_000, 100)]
    [TestCase(10_000, 9_999)]
    [TestCase(1_000, 1)]
    public void Entries_spilled_in_runs_come_back_in_key_order_each_once(int count, int runSize)
    {
        var entries = Random(count, seed: count + runSize);
        using var runs = new SortedRuns(runSize, _directory);
        entries.ForEach(runs.Add);

        var sorted = runs.Sorted().ToList();
        Assert.That(runs.Spilled, Is.EqualTo((count + runSize - 1) / runSize), "one run per runSize entries");
        Assert.That(sorted.Select(e => e.Key), Is.Ordered);
        Assert.That(sorted.OrderBy(e => e.First), Is.EqualTo(entries), "every entry once, its values with it");
    }

    [Test]
    public void Entries_that_fit_one_run_are_sorted_in_memory_without_a_file()
    {
        var entries = Random(500, seed: 7);
        using var runs = new SortedRuns(1_000, _directory);
        entries.ForEach(runs.Add);

        Assert.That(runs.Sorted().Select(e => e.Key), Is.EqualTo(entries.Select(e => e.Key).Order()));
        Assert.That(runs.Spilled, Is.Zero);
        Assert.That(Directory.Exists(_directory), Is.False);
    }

    [Test]
    public void Spilled_runs_are_never_visible_in_their_folder_and_the_folder_is_the_users_alone()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "files are unlinked once open where the system allows it");
        var runs = new SortedRuns(10, _directory);
        Random(100, seed: 3).ForEach(runs.Add);
        using (var walk = runs.Sorted().GetEnumerator())
        {
            Assert.That(walk.MoveNext(), Is.True);
            Assert.That(Directory.GetFiles(_directory), Is.Empty, "ten runs are open, yet none has a name a killed process could leave behind");
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(_directory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
                "spilled key hashes of ID numbers are readable by this user only");
        }
        runs.Dispose();
    }

    [Test]
    public void A_spill_folder_left_open_to_others_is_closed_before_anything_is_spilled_in_it()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix permissions");
        }
        else
        {
            Directory.CreateDirectory(_directory);
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_111_111);
            using var runs = new SortedRuns(2, _directory);
            Random(5, seed: 1).ForEach(runs.Add);

            Assert.That(File.GetUnixFileMode(_directory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        }
    }

    [Test]
    public void No_entries_walk_as_nothing() => Assert.That(new SortedRuns(4, _directory).Sorted(), Is.Empty);
}
