using System.Text.Json;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;

namespace DataPool.Core.Forms;

/// <summary>What deciding a correction request came to.</summary>
public abstract record CorrectionOutcome
{
    public sealed record Decided(CorrectionRequest Request) : CorrectionOutcome;
    public sealed record NotFound : CorrectionOutcome;
    public sealed record AlreadyDecided(string Status) : CorrectionOutcome;
    public sealed record Failed(string Message) : CorrectionOutcome;
}

/// <summary>
/// Decides correction requests. Accepting one applies the value as the owning department's: a row of that department's
/// correction source <c>correction-&lt;department&gt;</c> (kind <c>form</c>, the department's own, priority of its top
/// source), synced through the pipeline. So the value wins the department's <c>owner</c> rule by being its newest, explain
/// credits the department and the request (location <c>correction request N</c>), and the department's next change wins again.
/// </summary>
public sealed class CorrectionSources(PoolDatabase database, SourceDefinitionLoader loader, SourceRegistry registry, SyncRunner runner, CorrectionRequests requests)
{
    public const string Prefix = "correction-";

    // Requests are applied one at a time: each appends a row and syncs its source.
    private static readonly SemaphoreSlim Applying = new(1, 1);

    public static string SourceId(string department) => Prefix + department;

    /// <summary>The note on an accepted correction of a key: where it takes effect.</summary>
    public const string KeyAccepted = "accepted: the department corrects the number in its own system, and its next sync carries it into the pool";

    public static bool IsCorrectionSource(string sourceId) => sourceId.StartsWith(Prefix, StringComparison.Ordinal);

    public async Task<CorrectionOutcome> RejectAsync(long id, CorrectionScope scope, string decidedBy, string reason, CancellationToken cancellationToken)
    {
        if (await VisibleAsync(id, scope, cancellationToken) is not { } request)
        {
            return new CorrectionOutcome.NotFound();
        }

        return await requests.DecideAsync(id, CorrectionRequests.Rejected, decidedBy, reason, null, cancellationToken)
            ? new CorrectionOutcome.Decided((await requests.GetAsync(id, cancellationToken))!)
            : new CorrectionOutcome.AlreadyDecided((await requests.GetAsync(id, cancellationToken))!.Status);
    }

    public async Task<CorrectionOutcome> AcceptAsync(long id, CorrectionScope scope, string decidedBy, CancellationToken cancellationToken)
    {
        await Applying.WaitAsync(cancellationToken);
        try
        {
            if (await VisibleAsync(id, scope, cancellationToken) is not { } request)
            {
                return new CorrectionOutcome.NotFound();
            }

            if (request.Status != CorrectionRequests.Open)
            {
                return new CorrectionOutcome.AlreadyDecided(request.Status);
            }

            if (database.Catalog.Entity(request.Entity).Key.Contains(request.Field))
            {
                // A key (a person's ID number) is corrected in the department's own system, never re-keyed by a form row:
                // accepting records the department's decision; its next export carries the corrected number into the pool.
                await requests.DecideAsync(id, CorrectionRequests.Accepted, decidedBy, KeyAccepted, null, cancellationToken);
                return new CorrectionOutcome.Decided((await requests.GetAsync(id, cancellationToken))!);
            }

            var sourceId = await EnsureRegisteredAsync(request.Department, cancellationToken);
            var key = (await requests.RecordKeyAsync(id, cancellationToken))!;
            var data = await CommunityFormSource.PreviousAsync(database, sourceId, request.Entity, key, cancellationToken);
            data[database.Catalog.Entity(request.Entity).Key[0]] = key;
            data[request.Field] = request.Proposed;
            var rowId = await AppendAsync(sourceId, request, data, cancellationToken);
            var result = await runner.RunAsync(sourceId, $"correction:{id}", cancellationToken: cancellationToken);
            if (!result.Succeeded || result.Counts.Quarantined > 0)
            {
                // Not applied: the row goes, so that no later run of the source applies it behind the department's back.
                await RemoveRowAsync(rowId, cancellationToken);
                return new CorrectionOutcome.Failed(result.Succeeded ? $"correction request {id}: the value was quarantined" : result.Error ?? "the correction's sync failed");
            }

            await requests.DecideAsync(id, CorrectionRequests.Accepted, decidedBy, null, result.RunId, cancellationToken);
            return new CorrectionOutcome.Decided((await requests.GetAsync(id, cancellationToken))!);
        }
        finally
        {
            Applying.Release();
        }
    }

    /// <summary>The request when the scope sees it; another department's request answers exactly like a missing one.</summary>
    private async Task<CorrectionRequest?> VisibleAsync(long id, CorrectionScope scope, CancellationToken cancellationToken) =>
        await requests.GetAsync(id, cancellationToken) is { } request && scope.Sees(request) ? request : null;

    /// <summary>
    /// Registers (or refreshes) the department's correction source: streams for the entities whose key or <c>owner</c>
    /// fields the department owns, priority of the department's top source (so the owner rule then prefers the newest).
    /// </summary>
    private async Task<string> EnsureRegisteredAsync(string department, CancellationToken cancellationToken)
    {
        var id = SourceId(department);
        var sources = await registry.ListAsync(cancellationToken);
        var priority = sources.Where(s => s.Department == department && s.Kind != FormSubmissionConnector.KindName).Select(s => s.Priority).DefaultIfEmpty(0).Max();
        var entities = database.Catalog.Entities.Values
            .Where(e => e.Fields.Values.Any(f => (e.Key.Contains(f.Name) || f.Survivorship == Schema.Survivorship.Owner) && e.OwnerOf(f) == department))
            .Select(e => e.Name);
        var json = CommunityFormSource.DefinitionJson(database.Catalog, id, $"纠错申请（{department}审核通过）", department, priority, entities);
        await CommunityFormSource.RegisterAsync(database, loader, registry, id, json, cancellationToken);
        return id;
    }

    private async Task<long> AppendAsync(string sourceId, CorrectionRequest request, Dictionary<string, string?> data, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long>(
            "INSERT INTO dp_correction_rows (source_id, correction_id, entity, data) VALUES (@source, @correction, @entity, @data) RETURNING id",
            null, cancellationToken, ("@source", sourceId), ("@correction", request.Id), ("@entity", request.Entity), ("@data", JsonSerializer.Serialize(data)));
    }

    private async Task RemoveRowAsync(long rowId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM dp_correction_rows WHERE id = @id", null, cancellationToken, ("@id", rowId));
    }
}
