using System.Text.Json;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;

namespace DataPool.Core.Forms;

/// <summary>
/// The source every form submission is: <c>community-form</c>, department <c>community</c>, kind <c>form</c>. Its
/// priority is above every departmental source so that a worker's correction wins the fields decided by priority;
/// fields decided by recency (phone, …) it wins by being the newest. Fields whose rule is <c>owner</c> (the household
/// number and the relation to the head belong to public security) or <c>complete</c> (the longer address) stay with
/// their rule: the form's value is kept as a competing value and shown by explain.
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

    public string DefinitionJson(FormDefinition form)
    {
        var streams = Entities(form).Select(name =>
        {
            var entity = database.Catalog.Entity(name);
            return new Dictionary<string, object>
            {
                ["name"] = name,
                ["entity"] = name,
                ["key"] = entity.Key,
                ["mode"] = "incremental",
                ["cursor"] = FormSubmissionConnector.CursorColumn,
                ["fields"] = entity.Fields.Values.ToDictionary(f => f.Name, f => (object)new Dictionary<string, object> { ["from"] = f.Name }),
            };
        }).ToList();
        var definition = new Dictionary<string, object>
        {
            ["id"] = Id,
            ["name"] = "社区一表通（社区工作者填报）",
            ["department"] = Department,
            ["kind"] = FormSubmissionConnector.KindName,
            ["priority"] = Priority,
            ["settings"] = new Dictionary<string, object>(),
            ["streams"] = streams,
        };
        return JsonSerializer.Serialize(definition);
    }

    /// <summary>Registers (or refreshes) the source; the form's fields may have changed since the last start.</summary>
    public async Task EnsureRegisteredAsync(FormDefinition form, CancellationToken cancellationToken)
    {
        var json = DefinitionJson(form);
        var folder = Path.GetFullPath(database.Options.DataDirectory);
        var loaded = new LoadedSource(loader.Parse(json, $"source '{Id}'"), "", folder, json);
        await registry.UpsertAsync(loaded, cancellationToken);
    }
}
