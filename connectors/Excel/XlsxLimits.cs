using System.Globalization;
using DataPool.Abstractions;

namespace DataPool.Connectors.Excel;

/// <summary>
/// What a workbook may expand to before ClosedXML, which holds the whole workbook in memory, may open it.
/// An .xlsx is a zip: a 1.5 MB file can inflate to gigabytes of shared strings, so the compressed size says nothing.
/// </summary>
public sealed record XlsxLimits
{
    public const long Megabyte = 1024 * 1024;

    public static XlsxLimits Default { get; } = new();

    /// <summary>All parts of the zip together, counted while inflating (setting <c>maxUncompressedMB</c>).</summary>
    public long MaxUncompressedBytes { get; init; } = 512 * Megabyte;

    /// <summary>Entries of the shared-string table (<c>maxSharedStrings</c>).</summary>
    public long MaxSharedStrings { get; init; } = 1_000_000;

    /// <summary>The shared-string part (the text of every text cell) uncompressed (<c>maxSharedStringsMB</c>).</summary>
    public long MaxSharedStringBytes { get; init; } = 256 * Megabyte;

    /// <summary>Cells written in one worksheet part (<c>maxCellsPerSheet</c>).</summary>
    public long MaxCellsPerSheet { get; init; } = 5_000_000;

    /// <summary>Uncompressed : compressed bytes of one part (<c>maxCompressionRatio</c>).</summary>
    public double MaxCompressionRatio { get; init; } = 100;

    /// <summary>
    /// Parts smaller than this are not held to the ratio: small XML parts of repeated markup (styles, an empty
    /// sheet) compress far better than 100:1 and are harmless at that size.
    /// </summary>
    public long RatioCheckFromBytes { get; init; } = 4 * Megabyte;
}

/// <summary>A workbook over one of <see cref="XlsxLimits"/>: <see cref="Detail"/> names the limit and what was found.</summary>
public sealed class XlsxLimitException(string setting, string detail)
    : ConnectorException($"settings.{setting}: {detail}; raise settings.{setting} if the workbook is genuine")
{
    /// <summary>The source setting that raises the limit, e.g. <c>maxUncompressedMB</c>.</summary>
    public string Setting { get; } = setting;

    /// <summary>The file, the limit and the value found, without the setting (an upload has no settings to raise).</summary>
    public string Detail { get; } = detail;

    internal static string Size(long bytes) => bytes >= XlsxLimits.Megabyte
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)XlsxLimits.Megabyte:0.#} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    internal static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
