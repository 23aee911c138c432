using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DataPool.Abstractions;
using DataPool.Core.Store;

namespace DataPool.Core.Forms;

/// <summary>
/// The <c>form</c> connector kind: reads the community form's submissions back out of <c>dp_form_submission_rows</c>,
/// one stream per pool entity, in submission order. Streams are incremental with the cursor <c>submission_id</c>,
/// so each sync reads only what was submitted since the last one. A department's correction source
/// (<see cref="CorrectionSources"/>) reads its accepted correction requests from <c>dp_correction_rows</c> the same way.
/// </summary>
public sealed class FormSubmissionConnector(PoolDatabase database) : IConnector
{
    public const string KindName = Store.SourceRank.FormKind;
    public const string CursorColumn = "submission_id";

    public string Kind => KindName;

    public async IAsyncEnumerable<RawRow> ReadAsync(ConnectorContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entity = database.Catalog.Entity(context.Stream.Entity);
        var columns = new List<string> { CursorColumn };
        columns.AddRange(entity.Fields.Keys);
        var header = new RowHeader(columns);
        var after = long.TryParse(context.Cursor, NumberStyles.Integer, CultureInfo.InvariantCulture, out var cursor) ? cursor : 0;
        await using var connection = await database.OpenAsync(cancellationToken);
        var corrections = CorrectionSources.IsCorrectionSource(context.Source.Id);
        await using var command = connection.Command(
            corrections
                ? "SELECT id, data, correction_id FROM dp_correction_rows WHERE source_id = @source AND entity = @entity AND id > @after ORDER BY id"
                : "SELECT submission_id, data, submission_id FROM dp_form_submission_rows WHERE entity = @entity AND submission_id > @after ORDER BY submission_id, id",
            null, ("@source", context.Source.Id), ("@entity", entity.Name), ("@after", after));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long number = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var submission = reader.GetInt64(0);
            var data = JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(1)) ?? [];
            var values = new string?[columns.Count];
            values[0] = submission.ToString(CultureInfo.InvariantCulture);
            for (var i = 1; i < columns.Count; i++)
            {
                values[i] = data.GetValueOrDefault(columns[i]);
            }

            // The location explain shows: the submission, or the correction request the department accepted.
            var origin = reader.GetInt64(2).ToString(CultureInfo.InvariantCulture);
            yield return new RawRow(header, values, ++number, corrections ? $"correction request {origin}" : $"form submission {origin}");
        }
    }
}
