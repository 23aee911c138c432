using System.Text.Json;

namespace DataPool.Core.Reports;

/// <summary>
/// How far a report run has come: the generation's steps done of all (<see cref="Stages"/>), the step under way and
/// the rows the sheet has (known once the snapshot is read). Kept in <c>dp_report_runs.progress</c>, so any node
/// answers a poll of the run, not only the one generating it.
/// </summary>
public sealed record ReportProgress(int Done, int Total, string Stage, long? Rows)
{
    /// <summary>The generation's steps in order: read the snapshot, present it as the sheet, write the xlsx and the CSV, record the cells.</summary>
    public static readonly string[] Stages = ["read", "sheet", "xlsx", "csv", "record"];

    public const string Finished = "finished";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Whole percent of the steps done.</summary>
    public int Percent => Total == 0 ? 0 : Done * 100 / Total;

    /// <summary>Progress with <paramref name="done"/> steps finished: the next step is under way (or all are).</summary>
    public static ReportProgress After(int done, long? rows) =>
        new(done, Stages.Length, done < Stages.Length ? Stages[done] : Finished, rows);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ReportProgress? Parse(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<ReportProgress>(json, Json);
}
