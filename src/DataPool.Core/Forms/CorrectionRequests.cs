using System.Data.Common;
using System.Globalization;
using DataPool.Core.Store;

namespace DataPool.Core.Forms;

/// <summary>
/// A correction request (纠错) as listed: which value of which record, what the pool holds and from where, what the
/// worker proposes, the department that decides, and the decision. <see cref="FormKey"/> names the value in the
/// household form (<see cref="HouseholdForm.Flatten"/>), so the form shows the status next to the field.
/// </summary>
public sealed record CorrectionRequest(long Id, string Entity, long? PoolId, string Field, string FormKey, string HouseholdNo, string? CommunityCode,
    string? CurrentValue, string? CurrentSource, string Proposed, string Worker, string Department, string Status, string? Reason,
    string? DecidedBy, string CreatedAt, string? DecidedAt);

/// <summary>Whose requests a caller sees: a department's (analyst), a community's (worker), or all (both null: admin).</summary>
public sealed record CorrectionScope(string? Department, string? Community)
{
    public static readonly CorrectionScope All = new(null, null);

    public bool Sees(CorrectionRequest request) =>
        (Department is null || request.Department == Department) && (Community is null || request.CommunityCode == Community);
}

/// <summary>The correction requests' table: opened by a form save, listed by scope, decided once.</summary>
public sealed class CorrectionRequests(PoolDatabase database)
{
    public const string Open = "open";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";

    private const string Columns = "id, entity, pool_id, field, form_key, household_no, community_code, current_value, current_source, proposed, worker, department, status, reason, decided_by, created_at, decided_at";

    /// <summary>
    /// Opens a request per proposed change; a change to a value that already has an open request updates that request
    /// (the worker's latest proposal), so a field never has two open requests. Returns the requests' ids.
    /// </summary>
    public async Task<IReadOnlyList<long>> OpenAsync(IReadOnlyList<ProposedCorrection> proposals, string householdNo, string? community, string worker,
        CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        if (proposals.Count == 0)
        {
            return ids;
        }

        var now = Now();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var p in proposals)
        {
            var poolId = p.PoolId ?? await PoolIdAsync(connection, transaction, p.Entity, p.RecordKey, cancellationToken);
            var existing = await connection.ScalarAsync<long?>(
                "SELECT id FROM dp_corrections WHERE entity = @entity AND record_key = @key AND field = @field AND status = @open",
                transaction, cancellationToken, ("@entity", p.Entity), ("@key", p.RecordKey), ("@field", p.Field), ("@open", Open));
            if (existing is { } id)
            {
                await connection.ExecuteAsync("UPDATE dp_corrections SET proposed = @proposed, worker = @worker, created_at = @now WHERE id = @id",
                    transaction, cancellationToken, ("@proposed", p.Proposed), ("@worker", worker), ("@now", now), ("@id", id));
                ids.Add(id);
                continue;
            }

            ids.Add(await connection.ScalarAsync<long>(
                """
                INSERT INTO dp_corrections (entity, pool_id, record_key, field, form_key, household_no, community_code, current_value, current_source,
                    proposed, worker, department, status, created_at)
                VALUES (@entity, @pool, @key, @field, @formKey, @household, @community, @current, @source, @proposed, @worker, @department, @open, @now)
                RETURNING id
                """,
                transaction, cancellationToken, ("@entity", p.Entity), ("@pool", poolId), ("@key", p.RecordKey), ("@field", p.Field), ("@formKey", p.Key),
                ("@household", householdNo), ("@community", community), ("@current", p.Current.Value), ("@source", p.Current.Source),
                ("@proposed", p.Proposed), ("@worker", worker), ("@department", p.Department), ("@open", Open), ("@now", now)));
        }

        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    /// <summary>The requests a scope sees, newest first; optionally one status or one household.</summary>
    public async Task<IReadOnlyList<CorrectionRequest>> ListAsync(CorrectionScope scope, string? status = null, string? householdNo = null,
        CancellationToken cancellationToken = default)
    {
        // Only the filters given become conditions (PostgreSQL cannot type a parameter that is only compared with NULL).
        var filters = new (string Column, string? Value)[] { ("department", scope.Department), ("community_code", scope.Community), ("status", status), ("household_no", householdNo) }
            .Where(f => f.Value is not null).ToList();
        var where = filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters.Select(f => $"{f.Column} = @{f.Column}"));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM dp_corrections {where} ORDER BY id DESC LIMIT 1000", null,
            filters.Select(f => ($"@{f.Column}", (object?)f.Value)).ToArray());
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<CorrectionRequest?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM dp_corrections WHERE id = @id", null, ("@id", id));
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>The key of the request's record (the ID number, the household number): for applying it, never listed.</summary>
    internal async Task<string?> RecordKeyAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<string>("SELECT record_key FROM dp_corrections WHERE id = @id", null, cancellationToken, ("@id", id));
    }

    /// <summary>Decides an open request; false when it was decided meanwhile (a request is decided once).</summary>
    internal async Task<bool> DecideAsync(long id, string status, string decidedBy, string? reason, long? runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE dp_corrections SET status = @status, decided_by = @by, reason = @reason, run_id = @run, decided_at = @now WHERE id = @id AND status = @open",
            null, cancellationToken, ("@status", status), ("@by", decidedBy), ("@reason", reason), ("@run", runId), ("@now", Now()), ("@id", id), ("@open", Open)) == 1;
    }

    private async Task<long?> PoolIdAsync(DbConnection connection, DbTransaction transaction, string entityName, string key, CancellationToken cancellationToken)
    {
        // Identifiers come from the schema catalog only; the key goes through a parameter.
        var entity = database.Catalog.Entity(entityName);
        return await connection.ScalarAsync<long?>(
            $"SELECT {EntityTables.PoolId} FROM {EntityTables.TableName(entity.Name)} WHERE {entity.Key[0]} = @key AND {EntityTables.Deleted} = 0 ORDER BY {EntityTables.PoolId} LIMIT 1",
            transaction, cancellationToken, ("@key", key));
    }

    private static async Task<IReadOnlyList<CorrectionRequest>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<CorrectionRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new CorrectionRequest(reader.GetInt64(0), reader.GetString(1), reader.GetNullableInt64(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetNullableString(6), reader.GetNullableString(7), reader.GetNullableString(8), reader.GetString(9),
                reader.GetString(10), reader.GetString(11), reader.GetString(12), reader.GetNullableString(13), reader.GetNullableString(14),
                reader.GetString(15), reader.GetNullableString(16)));
        }

        return list;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
