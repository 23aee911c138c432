using System.Text.Json;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;

namespace DataPool.Core.Forms;

/// <summary>
/// The source every form submission is: <c>community-form</c>, department <c>community</c>, kind <c>form</c>. Its
/// priority is above every departmental source so that a worker's correction wins the fields decided by priority;
/// fields decided by recency (phone, …) it wins by being the newest. Fields whose rule is <c>complete</c> (the longer
/// address) stay with their rule. A key, and an <c>owner</c> field of another department (the household number and the
/// relation to the head belong to public security), the form never wins (survivorship ranks a form's value there
/// last): a change to one becomes a correction request to that department (<see cref="CorrectionSources"/>).
/// </summary>
public sealed class CommunityFormSource(PoolDatabase database, SourceDefinitionLoader loader, SourceRegistry registry)
{
    public const string Id = "community-form";
    public const string Department = "community";
    public const int Priority = 1000;

    /// <summary>The pool entities the form writes (approved extension fields have no pool entity yet: they are not written).</summary>
    public IReadOnlyList<string> Entities(FormDefinition form) =>
        form.Sections.Where(s => s.Id != "community").SelectMany(s => s.Fields).Select(f => f.Entity)
            .Where(database.Catalog.Entities.ContainsKey).Distinct().ToList();

    public string DefinitionJson(FormDefinition form) =>
        DefinitionJson(database.Catalog, Id, "社区一表通（社区工作者填报）", Department, Priority, Entities(form));

    /// <summary>
    /// A source of kind <c>form</c> over the given entities: one incremental stream per entity, keyed like the entity,
    /// every field read from its own name. The community form and the departments' correction sources are such sources.
    /// </summary>
    internal static string DefinitionJson(SchemaCatalog catalog, string id, string name, string department, int priority, IEnumerable<string> entities)
    {
        var streams = entities.Select(entityName =>
        {
            var entity = catalog.Entity(entityName);
            return new Dictionary<string, object>
            {
                ["name"] = entityName,
                ["entity"] = entityName,
                ["key"] = entity.Key,
                ["mode"] = "incremental",
                ["cursor"] = FormSubmissionConnector.CursorColumn,
                ["fields"] = entity.Fields.Values.ToDictionary(f => f.Name, f => (object)new Dictionary<string, object> { ["from"] = f.Name }),
            };
        }).ToList();
        var definition = new Dictionary<string, object>
        {
            ["id"] = id,
            ["name"] = name,
            ["department"] = department,
            ["kind"] = FormSubmissionConnector.KindName,
            ["priority"] = priority,
            ["settings"] = new Dictionary<string, object>(),
            ["streams"] = streams,
        };
        return JsonSerializer.Serialize(definition);
    }

    /// <summary>Registers (or refreshes) a source from its definition; its base folder is the data directory (it reads no files).</summary>
    internal static async Task RegisterAsync(PoolDatabase database, SourceDefinitionLoader loader, SourceRegistry registry, string id, string json,
        CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(database.Options.DataDirectory);
        await registry.UpsertAsync(new LoadedSource(loader.Parse(json, $"source '{id}'"), "", folder, json), cancellationToken);
    }

    /// <summary>Registers (or refreshes) the source; the form's fields may have changed since the last start.</summary>
    /// <summary>What a form source already said about a record: its earlier values are kept when a new row adds more (an incremental row replaces the record's data).</summary>
    internal static async Task<Dictionary<string, string?>> PreviousAsync(PoolDatabase database, string sourceId, string entity, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var data = await connection.ScalarAsync<string>(
            "SELECT data FROM dp_source_records WHERE source_id = @source AND stream = @stream AND source_key = @key AND deleted = 0",
            null, cancellationToken, ("@source", sourceId), ("@stream", entity), ("@key", key));
        return data is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string?>>(data) ?? [];
    }

    public Task EnsureRegisteredAsync(FormDefinition form, CancellationToken cancellationToken) =>
        RegisterAsync(database, loader, registry, Id, DefinitionJson(form), cancellationToken);
}
