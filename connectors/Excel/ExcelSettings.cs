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
public sealed record ExcelSettings(
    string Path,
    [property: JsonConverter(typeof(StringOrListConverter))] IReadOnlyList<string>? Sheets = null,
    int HeaderRow = 1);
