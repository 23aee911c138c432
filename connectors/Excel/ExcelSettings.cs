using System.Text.Json.Serialization;
using DataPool.Abstractions;

namespace DataPool.Connectors.Excel;

/// <summary>The settings of an <c>excel</c> source (contract: see connectors/Excel/README.md).</summary>
/// <param name="Path">The workbook (.xlsx/.xlsm), relative to the source definition's folder.</param>
/// <param name="Sheets">
/// Sheet names to read, in this order; null or empty reads every sheet in workbook order.
/// A single name is accepted too (<c>"sheets": "楼1"</c>), because that is what people write for one sheet.
/// </param>
/// <param name="HeaderRow">1-based row holding the column names; rows above it (titles) are skipped.</param>
/// <param name="MaxUncompressedMB">The workbook's parts together, uncompressed (see <see cref="XlsxLimits"/>).</param>
/// <param name="MaxSharedStrings">Entries of the shared-string table.</param>
/// <param name="MaxSharedStringsMB">The shared-string part, uncompressed.</param>
/// <param name="MaxCellsPerSheet">Cells written in one sheet.</param>
/// <param name="MaxCompressionRatio">Uncompressed : compressed size of one part of 4 MB or more.</param>
public sealed record ExcelSettings(
    string Path,
    [property: JsonConverter(typeof(StringOrListConverter))] IReadOnlyList<string>? Sheets = null,
    int HeaderRow = 1,
    long? MaxUncompressedMB = null,
    long? MaxSharedStrings = null,
    long? MaxSharedStringsMB = null,
    long? MaxCellsPerSheet = null,
    double? MaxCompressionRatio = null)
{
    /// <summary>The limits with the settings' overrides; a limit below 1 is a mistake, not "no limit".</summary>
    public XlsxLimits Limits()
    {
        var d = XlsxLimits.Default;
        return new XlsxLimits
        {
            MaxUncompressedBytes = Bytes(Positive(MaxUncompressedMB, nameof(MaxUncompressedMB))) ?? d.MaxUncompressedBytes,
            MaxSharedStrings = Positive(MaxSharedStrings, nameof(MaxSharedStrings)) ?? d.MaxSharedStrings,
            MaxSharedStringBytes = Bytes(Positive(MaxSharedStringsMB, nameof(MaxSharedStringsMB))) ?? d.MaxSharedStringBytes,
            MaxCellsPerSheet = Positive(MaxCellsPerSheet, nameof(MaxCellsPerSheet)) ?? d.MaxCellsPerSheet,
            MaxCompressionRatio = MaxCompressionRatio is { } ratio
                ? ratio >= 1 ? ratio : throw Invalid(nameof(MaxCompressionRatio), ratio)
                : d.MaxCompressionRatio,
        };
    }

    // Clamped so an absurd setting means "very large", not an overflow to a negative limit.
    private static long? Bytes(long? megabytes) => megabytes is { } mb ? Math.Min(mb, long.MaxValue / XlsxLimits.Megabyte) * XlsxLimits.Megabyte : null;

    private static long? Positive(long? value, string name) => value is null or >= 1 ? value : throw Invalid(name, value);

    private static ConnectorException Invalid(string name, object? value) =>
        new($"settings.{char.ToLowerInvariant(name[0])}{name[1..]}: must be 1 or more, not {value}");
}
