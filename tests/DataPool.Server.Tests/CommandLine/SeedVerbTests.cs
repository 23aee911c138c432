namespace DataPool.Server.Tests.CommandLine;

/// <summary><c>seed --persons N --out DIR [--seed S]</c>: the demo world at any scale, the same for the same seed.</summary>
[TestFixture]
public sealed class SeedVerbTests
{
    private static string[] Relative(string root, string pattern) =>
        Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Test]
    public async Task The_same_seed_writes_identical_csv_files_and_definitions()
    {
        var first = Path.Combine(Workspace.Folder, "first");
        var second = Path.Combine(Workspace.Folder, "second");

        var a = await Cli.RunAsync("seed", "--persons", "300", "--out", first, "--seed", "7");
        var b = await Cli.RunAsync("seed", "--persons", "300", "--out", second, "--seed", "7");

        Assert.That(a.ExitCode, Is.EqualTo(0), a.ToString());
        Assert.That(b.ExitCode, Is.EqualTo(0), b.ToString());
        var csv = Relative(first, "*.csv");
        var definitions = Relative(first, "*.source.json");
        Assert.Multiple(() =>
        {
            Assert.That(csv, Is.Not.Empty, "the demo world has CSV exports");
            Assert.That(definitions, Is.Not.Empty, "the output folder holds *.source.json definitions");
            Assert.That(Relative(second, "*"), Is.EqualTo(Relative(first, "*")), "the same files");
        });
        Assert.Multiple(() =>
        {
            foreach (var file in csv.Concat(definitions))
            {
                Assert.That(File.ReadAllBytes(Path.Combine(second, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(first, file))), file + " differs between two runs with the same seed");
            }
        });
    }

    [Test]
    public async Task Another_seed_writes_other_data()
    {
        var first = Path.Combine(Workspace.Folder, "seed7");
        var second = Path.Combine(Workspace.Folder, "seed8");

        var a = await Cli.RunAsync("seed", "--persons", "300", "--out", first, "--seed", "7");
        var b = await Cli.RunAsync("seed", "--persons", "300", "--out", second, "--seed", "8");

        Assert.That(a.ExitCode, Is.EqualTo(0), a.ToString());
        Assert.That(b.ExitCode, Is.EqualTo(0), b.ToString());
        var csv = Relative(first, "*.csv");
        Assert.That(csv, Is.Not.Empty);
        Assert.That(
            csv.Any(f => !File.ReadAllBytes(Path.Combine(first, f)).SequenceEqual(File.ReadAllBytes(Path.Combine(second, f)))),
            Is.True, "seed 7 and seed 8 should not give the same exports");
    }

    [Test]
    public async Task Every_seeded_definition_passes_check()
    {
        var output = Path.Combine(Workspace.Folder, "world");
        var seed = await Cli.RunAsync("seed", "--persons", "300", "--out", output);
        Assert.That(seed.ExitCode, Is.EqualTo(0), seed.ToString());

        var definitions = Directory.GetFiles(output, "*.source.json", SearchOption.AllDirectories);
        Assert.That(definitions, Is.Not.Empty);
        foreach (var definition in definitions)
        {
            var check = await Cli.RunAsync("check", definition, "--rows", "1", "--data", Workspace.Data);
            Assert.That(check.ExitCode, Is.EqualTo(0), definition + ": " + check);
        }
    }

    [Test]
    public async Task Zero_persons_is_exit_2()
    {
        var result = await Cli.RunAsync("seed", "--persons", "0", "--out", Path.Combine(Workspace.Folder, "empty"));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--persons"), result.ToString());
    }

    [Test]
    public async Task Seed_without_out_is_exit_2()
    {
        var result = await Cli.RunAsync("seed", "--persons", "10");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--out"), result.ToString());
    }
}
