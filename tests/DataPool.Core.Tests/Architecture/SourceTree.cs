using System.Text.RegularExpressions;

namespace DataPool.Core.Tests.Architecture;

/// <summary>The repository's C# sources, read as text: what the architecture rules are checked against.</summary>
internal static class SourceTree
{
    /// <summary>The folder holding <c>DataPool.sln</c>, found upwards from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DataPool.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("no DataPool.sln above the test folder");
    }

    /// <summary>Every .cs file under <paramref name="folder"/> (relative to the root, '/'-separated), build output left out.</summary>
    public static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/'))
            .Where(path => !path.Contains("/bin/", StringComparison.Ordinal) && !path.Contains("/obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>"path:line: text" of each line of the files, comments aside, that matches <paramref name="pattern"/>.</summary>
    public static List<string> Hits(IEnumerable<string> files, Regex pattern) =>
        files.SelectMany(file => File.ReadLines(Path.Combine(Root, file))
                .Select((line, i) => (Line: line, Number: i + 1))
                .Where(l => !l.Line.TrimStart().StartsWith("//", StringComparison.Ordinal) && pattern.IsMatch(l.Line))
                .Select(l => $"{file}:{l.Number}: {l.Line.Trim()}"))
            .ToList();
}
