using System.Data.Common;
using System.Globalization;
using DataPool.Core.Store;

namespace DataPool.Core.Matching;

/// <summary>
/// The weights <c>match train</c> learned, per deployment and entity (<c>dp_match_models</c>): each training a new
/// version, with its date and the data it rested on (records, blocked and random pairs, the share of matches EM found).
/// </summary>
public static class MatchModelStore
{
    /// <summary>Every live source record of a matched entity, as matching sees it: what training learns from.</summary>
    public static async Task<List<MatchRecord>> RecordsAsync(PoolDatabase database, string entity, int limit, CancellationToken cancellationToken = default)
    {
        var records = new List<MatchRecord>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT data FROM dp_source_records WHERE deleted = 0 AND entity = @entity ORDER BY id", null, ("@entity", entity));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (records.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            records.Add(MatchRecord.FromStored(reader.GetString(0)));
        }

        return records;
    }

    /// <summary>
    /// A model trained on fewer records than this is kept but not used: live matching stays with the prior
    /// (<see cref="MatchWeights.Prior"/>), whose constants a few hundred records would move by chance more than by evidence.
    /// </summary>
    public const int MinRecords = 500;

    /// <summary>The entity's newest model: what a sync links with.</summary>
    internal const string CurrentSql = "SELECT version, records, model FROM dp_match_models WHERE entity = @entity ORDER BY version DESC LIMIT 1";

    /// <summary>The weights live matching uses, by a command of <see cref="CurrentSql"/>: the newest model, or the prior when there is none or it rests on too little data.</summary>
    internal static MatchWeights Current(DbCommand command, string entity)
    {
        command.Parameters["@entity"].Value = entity;
        using var reader = command.ExecuteReader();
        return Current(reader);
    }

    private static MatchWeights Current(DbDataReader reader) =>
        reader.Read() && reader.GetInt64(1) >= MinRecords ? MatchWeights.FromJson(reader.GetString(2), reader.GetInt64(0)) : MatchWeights.Prior;

    /// <summary>The weights the entity's records are linked with now (the newest model, or the prior when there is none or it rests on too little data).</summary>
    public static async Task<MatchWeights> CurrentAsync(PoolDatabase database, string entity, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(CurrentSql, null, ("@entity", entity));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return Current(reader);
    }

    /// <summary>Stores a trained model as the entity's next version; returns the version.</summary>
    public static async Task<long> SaveAsync(PoolDatabase database, string entity, TrainedModel model, int records, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = await connection.ScalarAsync<long>("SELECT COALESCE(MAX(version), 0) + 1 FROM dp_match_models WHERE entity = @entity", transaction, cancellationToken, ("@entity", entity));
        var json = model.Weights().ToJson();
        await connection.ExecuteAsync(
            "INSERT INTO dp_match_models (entity, version, trained_at, records, blocked_pairs, random_pairs, match_share, model) VALUES (@entity, @version, @at, @records, @blocked, @random, @share, @model)",
            transaction, cancellationToken, ("@entity", entity), ("@version", version), ("@at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)),
            ("@records", records), ("@blocked", model.BlockedPairs), ("@random", model.RandomPairs), ("@share", model.MatchShare), ("@model", json));
        await transaction.CommitAsync(cancellationToken);
        return version;
    }
}
