namespace DataPool.Server.Tests;

/// <summary>
/// A temporary folder per test (and per fixture, for one-time set-ups), used as the child process's working
/// directory and, under <c>data/</c>, as its <c>--data</c> folder. All of them are removed after the run.
/// </summary>
[SetUpFixture]
public sealed class Workspace
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "datapool-cli-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The current test's own folder, created on first use.</summary>
    public static string Folder
    {
        get
        {
            var folder = Path.Combine(Root, Safe(TestContext.CurrentContext.Test.ID));
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>The current test's <c>--data</c> folder.</summary>
    public static string Data => Path.Combine(Folder, "data");

    /// <summary>The repository root: the folder holding DataPool.sln, found upwards from the test binaries.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DataPool.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DataPool.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    [OneTimeTearDown]
    public void RemoveAll()
    {
        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open by a killed child; the temp folder is cleaned by the system.
        }
    }

    private static string Safe(string id) => string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
