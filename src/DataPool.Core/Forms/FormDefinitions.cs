using DataPool.Core.Schema;
using DataPool.Core.Store;

namespace DataPool.Core.Forms;

/// <summary>A field the admission gate added to the unified form: truly new, so no pool field holds it yet.</summary>
public sealed record FormExtension(long Id, long RequestId, int Version, string Label, string? Hint, string Department);

/// <summary>
/// The unified form as it stands: the file's sections plus the fields approved through the admission gate (stored in
/// <c>dp_form_extensions</c>; each approval raises the version by one). Extension fields are listed in an
/// <c>extensions</c> section, read-only until a connector or a pool field is made for them.
/// </summary>
public sealed class FormDefinitions(PoolDatabase database, FormDefinition baseForm)
{
    public FormDefinition Base => baseForm;

    public async Task<FormDefinition> CurrentAsync(CancellationToken cancellationToken)
    {
        var extensions = await ExtensionsAsync(cancellationToken);
        if (extensions.Count == 0)
        {
            return baseForm;
        }

        var fields = extensions.Select(e => new FormField($"ext_{e.Id}", $"{FormDefinition.Extensions}.ext_{e.Id}", "extension", $"ext_{e.Id}", FieldTypes.String,
            new Labels(e.Label, e.Label), false, 200, null, null, null, null, true, null, [$"form-request-{e.RequestId}"])).ToList();
        var section = new FormSection(FormDefinition.Extensions, new Labels("新增采集项（经准入审批）", "Approved new fields"), false, false, "extension", fields);
        return baseForm with { Version = baseForm.Version + extensions.Max(e => e.Version), Sections = [.. baseForm.Sections, section] };
    }

    public async Task<IReadOnlyList<FormExtension>> ExtensionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT id, request_id, version, label, hint, department FROM dp_form_extensions ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<FormExtension>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new FormExtension(reader.GetInt64(0), reader.GetInt64(1), (int)reader.GetInt64(2), reader.GetString(3), reader.GetNullableString(4), reader.GetString(5)));
        }

        return list;
    }

    /// <summary>Adds fields approved from one request, as one new version of the form.</summary>
    public async Task<int> AddAsync(long requestId, string department, IReadOnlyList<(string Label, string? Hint)> fields, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = (await connection.ScalarAsync<long?>("SELECT MAX(version) FROM dp_form_extensions", transaction, cancellationToken) ?? 0) + 1;
        foreach (var (label, hint) in fields)
        {
            await connection.ExecuteAsync(
                "INSERT INTO dp_form_extensions (request_id, version, label, hint, department, created_at) VALUES (@request, @version, @label, @hint, @department, @now)",
                transaction, cancellationToken, ("@request", requestId), ("@version", version), ("@label", label), ("@hint", hint), ("@department", department),
                ("@now", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        }

        await transaction.CommitAsync(cancellationToken);
        return (int)version;
    }
}
