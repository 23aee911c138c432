using System.Globalization;
using DataPool.Abstractions;
using DataPool.Core.Sources;

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

    /// <summary>The definition as stored, whether or not it still validates; null when no source has the id.</summary>
    public static async Task<StoredSource?> StoredAsync(PoolDatabase database, string id, CancellationToken cancellationToken = default) =>
        (await ReadStoredAsync(database, "WHERE id = @id", cancellationToken, ("@id", id))).FirstOrDefault();

    /// <summary>Every definition as stored, by id: read as written, not through the loader, so one that no longer validates is still there.</summary>
    public static Task<List<StoredSource>> StoredAsync(PoolDatabase database, CancellationToken cancellationToken = default) =>
        ReadStoredAsync(database, "ORDER BY id", cancellationToken);

    /// <summary>How many sources are registered: also what the health check asks to see that the store answers.</summary>
    public static async Task<long> CountAsync(PoolDatabase database, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long>("SELECT COUNT(*) FROM dp_sources", cancellationToken: cancellationToken);
    }

    private static async Task<List<StoredSource>> ReadStoredAsync(PoolDatabase database, string rest, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT id, definition, file, base_directory, updated_at FROM dp_sources {rest}", null, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stored = new List<StoredSource>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // An empty file name is how the registry stores "no file" (an API-added definition).
            stored.Add(new StoredSource(reader.GetString(0), reader.GetString(1), reader.GetNullableString(2) is { Length: > 0 } file ? file : null,
                reader.GetString(3), reader.GetString(4)));
        }

        return stored;
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

    /// <summary>Every registered source, by id.</summary>
    public async Task<IReadOnlyList<RegisteredSource>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT id, name, department, kind, priority, schedule, file, updated_at FROM dp_sources ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sources = new List<RegisteredSource>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sources.Add(new RegisteredSource(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                (int)reader.GetInt64(4), reader.GetNullableString(5), reader.GetNullableString(6), reader.GetString(7)));
        }

        return sources;
    }

    /// <summary>Removes a source's definition; its records stay in the pool (history is never rewritten). False when unknown.</summary>
    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM dp_sources WHERE id = @id", null, cancellationToken, ("@id", id)) > 0;
    }

    /// <summary>Priority, department and kind of every source, for survivorship.</summary>
    public async Task<Dictionary<string, SourceRank>> RanksAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT id, priority, department, kind FROM dp_sources");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ranks = new Dictionary<string, SourceRank>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            ranks[reader.GetString(0)] = new SourceRank((int)reader.GetInt64(1), reader.GetString(2), reader.GetString(3));
        }

        return ranks;
    }
}

/// <summary>A registered source as listed: what an admin sees before opening its definition.</summary>
/// <summary>A definition as stored: its JSON as written, the file it came from (null: added through the API), where its paths resolve.</summary>
public sealed record StoredSource(string Id, string Json, string? File, string BaseDirectory, string UpdatedAt);

public sealed record RegisteredSource(string Id, string Name, string Department, string Kind, int Priority, string? Schedule, string? File, string UpdatedAt);
