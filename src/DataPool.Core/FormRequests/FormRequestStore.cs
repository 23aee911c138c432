using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using DataPool.Core.Store;

namespace DataPool.Core.FormRequests;

/// <summary>A proposed form and its coverage, as the gate answers it.</summary>
public sealed record FormRequest(long Id, string Name, string Department, string RequestedBy, string CreatedAt, string Status,
    IReadOnlyList<FieldCoverageResult> Fields, int Pool, int Connected, int New, string? ApprovedBy, string? ApprovedAt, int? FormVersion)
{
    /// <summary>In the answer to a proposal only: sources the gate skipped, and why (never stored).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>The admission gate's record (<c>dp_form_requests</c>): every proposal, its coverage and its approval.</summary>
public sealed class FormRequestStore(PoolDatabase database)
{
    public const string Pending = "pending";
    public const string Approved = "approved";

    public async Task<FormRequest> AddAsync(string name, string department, string requestedBy, IReadOnlyList<FieldCoverageResult> fields, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.ScalarAsync<long>(
            "INSERT INTO dp_form_requests (name, department, requested_by, created_at, status, fields) VALUES (@name, @department, @by, @now, @status, @fields) RETURNING id",
            null, cancellationToken, ("@name", name), ("@department", department), ("@by", requestedBy), ("@now", Now()), ("@status", Pending),
            ("@fields", JsonSerializer.Serialize(fields)));
        return (await GetAsync(id, cancellationToken))!;
    }

    public async Task<IReadOnlyList<FormRequest>> ListAsync(string? department, CancellationToken cancellationToken) =>
        await ReadAsync("WHERE (@department IS NULL OR department = @department) ORDER BY id DESC", cancellationToken, ("@department", department));

    public async Task<FormRequest?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await ReadAsync("WHERE id = @id", cancellationToken, ("@id", id))).FirstOrDefault();

    /// <summary>Marks a pending request approved; false when it was not pending any more (approved twice at once).</summary>
    public async Task<bool> ApproveAsync(long id, string by, int formVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE dp_form_requests SET status = @approved, approved_by = @by, approved_at = @now, form_version = @version WHERE id = @id AND status = @pending",
            null, cancellationToken, ("@approved", Approved), ("@by", by), ("@now", Now()), ("@version", formVersion), ("@id", id), ("@pending", Pending)) > 0;
    }

    private async Task<List<FormRequest>> ReadAsync(string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT id, name, department, requested_by, created_at, status, fields, approved_by, approved_at, form_version FROM dp_form_requests " + where, null, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<FormRequest>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var fields = JsonSerializer.Deserialize<List<FieldCoverageResult>>(reader.GetString(6)) ?? [];
            list.Add(new FormRequest(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), fields,
                fields.Count(f => f.Coverage == FieldCoverage.Pool), fields.Count(f => f.Coverage == FieldCoverage.Connected), fields.Count(f => f.Coverage == FieldCoverage.New),
                reader.GetNullableString(7), reader.GetNullableString(8), reader.IsDBNull(9) ? null : (int)reader.GetInt64(9)));
        }

        return list;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>Creates <c>dp_form_requests</c>; apart from the store, which needs the database this helps initialise.</summary>
public sealed class FormRequestTable : IStoreInitializer
{
    public Task InitialiseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            $"""
            CREATE TABLE IF NOT EXISTS dp_form_requests (
                id {dialect.AutoId},
                name TEXT NOT NULL,
                department TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                status TEXT NOT NULL,
                fields TEXT NOT NULL,
                approved_by TEXT,
                approved_at TEXT,
                form_version {dialect.BigInt});
            """, transaction, cancellationToken);
}
