using System.Globalization;
using System.Text.Json;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using Json.Schema;

namespace DataPool.Core.Reports;

/// <summary>
/// The report definitions in <c>schemas/reports/*.json</c> (one file per report; <c>report.schema.json</c> is their
/// JSON Schema), checked against the schema and the pool's catalog when loaded. A bad file refuses the whole set,
/// naming the file and the JSON path of every problem.
/// </summary>
public sealed class ReportCatalog
{
    public const string Folder = "reports";
    public const string SchemaFile = "report.schema.json";

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, Culture = CultureInfo.InvariantCulture };

    private ReportCatalog(IReadOnlyDictionary<string, ReportDefinition> reports) => Reports = reports;

    public IReadOnlyDictionary<string, ReportDefinition> Reports { get; }

    public ReportDefinition Get(string id) =>
        Reports.TryGetValue(id, out var report) ? report : throw new UnknownReportException(id, Reports.Keys);

    /// <summary>Loads every definition of <c>&lt;schemas&gt;/reports</c>; none when the folder is missing.</summary>
    public static ReportCatalog Load(SchemaCatalog catalog, string? folder = null)
    {
        folder ??= Path.Combine(catalog.Root, Folder);
        var reports = new SortedDictionary<string, ReportDefinition>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return new ReportCatalog(reports);
        }

        var schemaFile = Path.Combine(folder, SchemaFile);
        var schema = File.Exists(schemaFile)
            ? JsonSchema.FromText(File.ReadAllText(schemaFile), new BuildOptions { SchemaRegistry = new SchemaRegistry() })
            : null;
        var validator = new ReportDefinitionValidator(catalog);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var report = Parse(File.ReadAllText(file), name, schema, validator);
            if (!reports.TryAdd(report.Id, report))
            {
                throw new ReportDefinitionException(name, [new ReportError("$.id", $"'{report.Id}' is the id of another report file too")]);
            }

            if (Path.GetFileNameWithoutExtension(file) != report.Id)
            {
                throw new ReportDefinitionException(name, [new ReportError("$.id", $"'{report.Id}' differs from the file's name; name the file {report.Id}.json")]);
            }
        }

        return new ReportCatalog(reports);
    }

    /// <summary>One definition's text: structure by the JSON Schema, then meaning by <see cref="ReportDefinitionValidator"/>.</summary>
    public static ReportDefinition Parse(string json, string origin, JsonSchema? schema, ReportDefinitionValidator validator)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ReportDefinitionException(origin, [new ReportError("$", $"not JSON: {e.Message}")]);
        }

        using (document)
        {
            if (schema is not null)
            {
                var errors = SchemaErrors(schema, document.RootElement);
                if (errors.Count > 0)
                {
                    throw new ReportDefinitionException(origin, errors);
                }
            }

            ReportDefinition definition;
            try
            {
                definition = document.RootElement.Deserialize<ReportDefinition>(SchemaCatalog.Json)
                    ?? throw new ReportDefinitionException(origin, [new ReportError("$", "empty")]);
            }
            catch (JsonException e)
            {
                throw new ReportDefinitionException(origin, [new ReportError(e.Path ?? "$", e.Message)]);
            }

            var result = validator.Validate(definition);
            if (!result.IsValid)
            {
                throw new ReportDefinitionException(origin,
                    result.Errors.Select(e => new ReportError(ReportDefinitionValidator.JsonPath(e.PropertyName), e.ErrorMessage)).Distinct().ToList());
            }

            return definition;
        }
    }

    private static List<ReportError> SchemaErrors(JsonSchema schema, JsonElement instance)
    {
        var results = schema.Evaluate(instance, Evaluation);
        var errors = new List<ReportError>();
        foreach (var node in (results.Details ?? []).Prepend(results))
        {
            if (node.IsValid || node.Errors is null)
            {
                continue;
            }

            var path = JsonPaths.FromPointer(node.InstanceLocation.ToString(), instance);
            errors.AddRange(node.Errors.Select(e => new ReportError(path, e.Value)));
        }

        return errors.Distinct().ToList();
    }
}
