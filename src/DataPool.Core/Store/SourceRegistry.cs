using System.Globalization;
using DataPool.Abstractions;
using DataPool.Core.Sources;
using DataPool.Core.Sync;

namespace DataPool.Core.Store;

/// <summary>The sources registered in the pool: their definitions as written, and where their files resolve.</summary>
public sealed class SourceRegistry(PoolDatabase database, SourceDefinitionLoader loader)
{
    public async Task UpsertAsync(LoadedSource source, CancellationToken cancellationToken = default)
    {
        var definition = source.Definition;
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO dp_sources (id, name, department, kind, priority, schedule, definition, file, base_directory, updated_at)
            VALUES (@id, @name, @department, @kind, @priority, @schedule, @definition, @file, @base, @now)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, department = excluded.department, kind = excluded.kind,
                priority = excluded.priority, schedule = excluded.schedule, definition = excluded.definition,
                file = excluded.file, base_directory = excluded.base_directory, updated_at = excluded.updated_at
            """,
            cancellationToken: cancellationToken,
            parameters:
            [
                ("@id", definition.Id), ("@name", definition.Name), ("@department", definition.Department), ("@kind", definition.Kind),
                ("@priority", definition.Priority), ("@schedule", definition.Schedule), ("@definition", source.Json),
                ("@file", source.File), ("@base", source.BaseDirectory),
                ("@now", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)),
            ]);
    }

    public async Task<LoadedSource?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT definition, file, base_directory FROM dp_sources WHERE id = @id", null, ("@id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var json = reader.GetString(0);
        var file = reader.GetNullableString(1);
        return new LoadedSource(loader.Parse(json, file ?? $"source '{id}'"), file ?? "", reader.GetString(2), json);
    }

    public async Task<IReadOnlyList<string>> IdsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT id FROM dp_sources ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Priority and department of every source, for survivorship.</summary>
    public async Task<Dictionary<string, SourceRank>> RanksAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT id, priority, department FROM dp_sources");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ranks = new Dictionary<string, SourceRank>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            ranks[reader.GetString(0)] = new SourceRank((int)reader.GetInt64(1), reader.GetString(2));
        }

        return ranks;
    }
}
