using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Core.Sync;

namespace DataPool.Core.Forms;

/// <summary>
/// The household form: prefill from the pool, and save with optimistic concurrency. A save is written as a
/// submission of the <c>community-form</c> source (carrying the worker's name) and that source is synced through
/// the same pipeline as any other, so validation, survivorship, provenance and history all apply. A change the form
/// may not win (a department's key or <c>owner</c> field) is not submitted: it opens a correction request instead.
/// </summary>
public sealed class HouseholdForms(PoolDatabase database, HouseholdFormReader reader, CommunityFormSource source, SyncRunner runner, CorrectionRequests corrections)
{
    // One save at a time per process: the ETag check, the submission and its sync form one step.
    private static readonly SemaphoreSlim Saving = new(1, 1);
    private readonly FormRules _rules = new();
    private bool _registered;

    /// <summary>The prefilled form; the values its ETag stands for are remembered, to say what changed on a stale save.</summary>
    public async Task<HouseholdForm?> GetAsync(FormDefinition form, string householdNo, CancellationToken cancellationToken)
    {
        var current = await reader.ReadAsync(form, householdNo, cancellationToken);
        if (current is null)
        {
            return null;
        }

        await RememberAsync(current, cancellationToken);
        return current with { Corrections = await corrections.ListAsync(CorrectionScope.All, householdNo: householdNo, cancellationToken: cancellationToken) };
    }

    public async Task<SubmitOutcome> SubmitAsync(FormDefinition form, string householdNo, string ifMatch, FormSubmission submission, string worker, CancellationToken cancellationToken)
    {
        await Saving.WaitAsync(cancellationToken);
        try
        {
            var current = await reader.ReadAsync(form, householdNo, cancellationToken)
                ?? throw new InvalidOperationException($"household {householdNo} vanished");
            var plan = new SubmissionPlan(form, current, submission, database.Catalog);
            var errors = _rules.Check(plan.Values);
            foreach (var (path, message) in plan.Problems)
            {
                errors[path] = errors.TryGetValue(path, out var existing) ? [.. existing, message] : [message];
            }

            if (errors.Count > 0)
            {
                return new SubmitOutcome.Invalid(errors);
            }

            if (!string.Equals(ifMatch.Trim('"'), current.Etag, StringComparison.Ordinal))
            {
                return new SubmitOutcome.Stale(current.Etag, await ChangesAsync(ifMatch.Trim('"'), current, plan, cancellationToken));
            }

            var opened = await corrections.OpenAsync(plan.Corrections, householdNo, current.CommunityCode, worker, cancellationToken);
            var rows = await plan.RowsAsync(key => CommunityFormSource.PreviousAsync(database, CommunityFormSource.Id, key.Entity, key.Key, cancellationToken));
            if (rows.Count == 0)
            {
                var unchanged = (await GetAsync(form, householdNo, cancellationToken))!;
                return new SubmitOutcome.Saved(unchanged with { CreatedCorrections = opened }, null);
            }

            if (!_registered)
            {
                await source.EnsureRegisteredAsync(form, cancellationToken);
                _registered = true;
            }

            var submissionId = await WriteAsync(householdNo, current, ifMatch, submission, worker, rows, cancellationToken);
            var result = await runner.RunAsync(CommunityFormSource.Id, $"form:{submissionId}", cancellationToken: cancellationToken);
            if (!result.Succeeded)
            {
                return new SubmitOutcome.Failed(result.Error ?? "the form's sync failed");
            }

            if (result.Counts.Quarantined > 0)
            {
                return new SubmitOutcome.Failed($"submission {submissionId}: {result.Counts.Quarantined} row(s) were quarantined (see /api/quarantine?source={CommunityFormSource.Id})");
            }

            await using (var connection = await database.OpenAsync(cancellationToken))
            {
                await connection.ExecuteAsync("UPDATE dp_form_submissions SET run_id = @run WHERE id = @id", null, cancellationToken, ("@run", result.RunId), ("@id", submissionId));
            }

            var saved = (await GetAsync(form, householdNo, cancellationToken))!;
            return new SubmitOutcome.Saved(saved with { CreatedCorrections = opened }, submissionId);
        }
        finally
        {
            Saving.Release();
        }
    }

    private async Task RememberAsync(HouseholdForm current, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO dp_form_snapshots (etag, household_no, snapshot, created_at) VALUES (@etag, @household, @snapshot, @now) ON CONFLICT (etag) DO NOTHING",
            null, cancellationToken, ("@etag", current.Etag), ("@household", current.HouseholdNo),
            ("@snapshot", HouseholdForm.Snapshot(current.Flatten())), ("@now", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private async Task<IReadOnlyList<FieldChange>> ChangesAsync(string etag, HouseholdForm current, SubmissionPlan plan, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var text = await connection.ScalarAsync<string>("SELECT snapshot FROM dp_form_snapshots WHERE etag = @etag AND household_no = @household",
            null, cancellationToken, ("@etag", etag), ("@household", current.HouseholdNo));
        var seen = text is null ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(text);
        var now = current.Flatten();
        var keys = seen is null ? plan.Submitted.Keys.ToList() : now.Keys.Union(seen.Keys).ToList();
        var changes = new List<FieldChange>();
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            var theirs = now.GetValueOrDefault(key);
            var before = seen is null ? plan.Submitted.GetValueOrDefault(key) : seen.GetValueOrDefault(key);
            if (before == theirs?.Value)
            {
                continue;
            }

            var yours = plan.Submitted.TryGetValue(key, out var typed) ? typed : before;
            changes.Add(new FieldChange(plan.PathOf(key), yours, theirs?.Value, theirs?.Source, theirs?.At));
        }

        return changes;
    }

    private async Task<long> WriteAsync(string householdNo, HouseholdForm current, string ifMatch, FormSubmission submission, string worker,
        IReadOnlyList<(string Entity, Dictionary<string, string?> Data)> rows, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ScalarAsync<long>(
            """
            INSERT INTO dp_form_submissions (household_no, community_code, worker, submitted_at, etag_before, body)
            VALUES (@household, @community, @worker, @now, @etag, @body) RETURNING id
            """,
            transaction, cancellationToken, ("@household", householdNo), ("@community", current.CommunityCode), ("@worker", worker),
            ("@now", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)), ("@etag", ifMatch), ("@body", JsonSerializer.Serialize(submission)));
        foreach (var (entity, data) in rows)
        {
            await connection.ExecuteAsync("INSERT INTO dp_form_submission_rows (submission_id, entity, data) VALUES (@submission, @entity, @data)",
                transaction, cancellationToken, ("@submission", id), ("@entity", entity), ("@data", JsonSerializer.Serialize(data)));
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }
}
