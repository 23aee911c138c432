using DataPool.Core.Store;

namespace DataPool.Core.Reports;

/// <summary>
/// Where generated files live: <c>&lt;data&gt;/reports/&lt;report-id&gt;/&lt;run-id&gt;.xlsx|.csv</c>. Paths are built only
/// from a report id that matches <see cref="ReportNames.IdPattern"/> and a run number, and are checked to stay
/// under the archive root; the database records them relative to it.
/// </summary>
public sealed class ReportArchive(StoreOptions store)
{
    public static readonly IReadOnlySet<string> Formats = new HashSet<string> { "xlsx", "csv" };

    public string Root { get; } = Path.Combine(Path.GetFullPath(store.DataDirectory), "reports");

    /// <summary>The archive-relative name of a run's file, e.g. <c>population-monthly/12.xlsx</c>.</summary>
    public static string RelativePath(string reportId, long runId, string format)
    {
        if (!ReportNames.IdPattern.IsMatch(reportId) || !Formats.Contains(format) || runId <= 0)
        {
            throw new ArgumentException($"not an archive file: report '{reportId}', run {runId}, format '{format}'");
        }

        return $"{reportId}/{runId}.{format}";
    }

    /// <summary>The full path of an archive-relative name; refuses anything that would leave the archive.</summary>
    public string FullPath(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException($"'{relative}' is outside the report archive");
        }

        return full;
    }

    public string Prepare(string reportId, long runId, string format)
    {
        var full = FullPath(RelativePath(reportId, runId, format));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }

    public void Delete(string? relative)
    {
        if (relative is null)
        {
            return;
        }

        var full = FullPath(relative);
        if (File.Exists(full))
        {
            File.Delete(full);
        }
    }
}
