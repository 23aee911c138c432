using System.Text.Json.Nodes;
using DataPool.Connectors.Excel;
using DataPool.Core.Forms;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Server.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DataPool.Server.Sources;

/// <summary>
/// What the source editor (<c>/sources/new</c>, <c>/sources/{id}</c>) asks besides the definition routes: store a sample
/// file in the sources root, read its columns and first rows, suggest pool fields for its columns, and list the pool's
/// entities and fields by label. Under <c>/api/sources/editor</c>: <c>editor</c> is a valid source id, but no source
/// route has a second segment of these names, so nothing is shadowed.
/// </summary>
internal static class SourceEditorEndpoints
{
    /// <summary>The sample and the multipart framing around it.</summary>
    internal const long MaxUploadBytes = SampleFiles.MaxBytes + (64 * 1024);

    /// <summary>A sample is read whole by ClosedXML for its preview: smaller limits than a sync's, checked before it opens.</summary>
    private static readonly XlsxLimits SampleLimits = XlsxLimits.Default with
    {
        MaxUncompressedBytes = 128 * XlsxLimits.Megabyte,
        MaxSharedStrings = 500_000,
        MaxSharedStringBytes = 64 * XlsxLimits.Megabyte,
        MaxCellsPerSheet = 1_000_000,
    };

    public static void MapSourceEditorEndpoints(this RouteGroupBuilder group)
    {
        var editor = group.MapGroup("/editor");
        editor.MapPost("/samples", UploadAsync).WithName("UploadSourceSample").DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes))
            .WithSummary("Stores a sample export (multipart field file: .csv, .tsv, .txt, .xlsx, .xlsm, .dat) in the sources root; ?replace=true replaces a file of that name")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        editor.MapPost("/preview", PreviewAsync).WithName("PreviewSourceSample")
            .WithSummary("A sample's columns and first rows as its connector reads them (body: kind, settings, optional source whose folder the path resolves in); the encoding detected when the settings name none");
        editor.MapPost("/suggestions", Suggest).WithName("SuggestSourceFields")
            .WithSummary("The pool field each column's name suggests, from the labels, legacy-form labels and synonyms the admission gate knows");
        editor.MapGet("/fields", Fields).WithName("ListPoolFieldsForSources").WithSummary("The pool's entities and their fields with labels, types and keys");
    }

    private static async Task<Results<Created<SampleFile>, ValidationProblem, ProblemHttpResult>> UploadAsync(HttpRequest request, SourcesRoot root,
        CancellationToken cancellationToken, bool replace = false)
    {
        if (UploadLimits.Apply(request.HttpContext, MaxUploadBytes, "上传的样本文件过大", $"a sample file may be at most {SampleFiles.MaxBytes / 1024 / 1024} MB") is { } tooLarge)
        {
            return tooLarge;
        }

        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "上传须为 multipart/form-data",
                detail: "send the sample as the multipart field 'file'");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [$"无法读取上传的表单：{e.Message}"] });
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["请选择一个样本文件（multipart 字段 file）"] });
        }

        try
        {
            await using var content = file.OpenReadStream();
            var saved = await SampleFiles.SaveAsync(content, file.FileName, root.Ensure(), replace, InspectWorkbook, cancellationToken);
            return TypedResults.Created($"/api/sources/editor/samples/{Uri.EscapeDataString(saved.Path)}", saved);
        }
        catch (SampleFileException e)
        {
            return e.Reason switch
            {
                SampleFileException.TooLarge => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "上传的样本文件过大", detail: e.Message),
                SampleFileException.Exists => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "同名文件已存在", detail: e.Message),
                SampleFileException.BadType => TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "不支持的文件类型", detail: e.Message),
                _ => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [e.Message] }, title: "文件名无效"),
            };
        }
    }

    /// <summary>A workbook's expansion is checked before ClosedXML may ever open it for a preview (a zip bomb costs nothing).</summary>
    private static void InspectWorkbook(Stream stream, string kind, string name)
    {
        if (kind != "excel")
        {
            return;
        }

        try
        {
            XlsxInspector.Check(stream, SampleLimits, name);
        }
        catch (XlsxLimitException e)
        {
            throw new SampleFileException(SampleFileException.TooLarge, $"the workbook expands past a limit: {e.Detail}");
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or SampleFileException))
        {
            // Untrusted bytes: whatever the zip reader throws on them is the caller's damaged file.
            throw new SampleFileException(SampleFileException.BadType, $"'{name}' is not a readable .xlsx workbook");
        }
    }

    /// <summary>What to preview: the kind and settings of a draft definition (paths relative to the sources root, or to the folder of <c>Source</c>).</summary>
    public sealed record PreviewRequest(string? Kind, JsonObject? Settings, string? Source, int Rows = 20);

    private static async Task<Results<Ok<SamplePreview>, ValidationProblem, ProblemHttpResult>> PreviewAsync(PreviewRequest body, SamplePreviewer previewer,
        SourcesRoot root, PoolDatabase database, CancellationToken cancellationToken)
    {
        if (body.Kind is not { } kind || !SamplePreviewer.Previews(kind))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = ["csv, excel or fixedwidth"] });
        }

        if (body.Settings is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["settings"] = ["the settings to read the sample with, at least its path"] });
        }

        var folder = root.Ensure();
        if (body.Source is { Length: > 0 } id)
        {
            if (await SourceDefinitions.FindAsync(database, id, cancellationToken) is not { } stored)
            {
                return SourceEndpoints.NotFound(id);
            }

            folder = stored.BaseDirectory;
        }

        return TypedResults.Ok(await previewer.PreviewAsync(kind, body.Settings, folder, body.Rows, cancellationToken));
    }

    public sealed record SuggestRequest(IReadOnlyList<string>? Columns);

    /// <summary>A column and the pool field its name suggests (none when no label the gate knows matches).</summary>
    public sealed record ColumnSuggestion(string Column, string? Entity, string? Field);

    /// <summary><c>Entity</c>: the entity most columns suggest, for a stream of one entity.</summary>
    public sealed record Suggestions(string? Entity, IReadOnlyList<ColumnSuggestion> Columns);

    private static Results<Ok<Suggestions>, ValidationProblem> Suggest(SuggestRequest body, FieldLabels labels, SchemaCatalog schema)
    {
        if (body.Columns is not { Count: > 0 and <= 500 } columns)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["columns"] = ["between 1 and 500 column names"] });
        }

        // The entity most columns can belong to decides between namesakes (a person's ID number, a disability record's).
        var candidates = columns.Select(column => (Column: column ?? "", Fields: labels.Candidates(column ?? "")
            .Select(f => PoolFieldRef.TryResolve(schema, f, out var resolved) ? resolved : default).Where(r => r.Field is not null).ToList())).ToList();
        var entity = candidates.SelectMany(c => c.Fields.Select(f => f.Entity.Name).Distinct())
            .GroupBy(name => name).OrderByDescending(g => g.Count()).ThenBy(g => g.Key == "person" ? 0 : 1).Select(g => g.Key).FirstOrDefault();
        var suggested = candidates.Select(c => c.Fields.FirstOrDefault(f => f.Entity.Name == entity) is { Field: not null } inEntity
            ? new ColumnSuggestion(c.Column, inEntity.Entity.Name, inEntity.Field.Name)
            : c.Fields is [var first, ..] ? new ColumnSuggestion(c.Column, first.Entity.Name, first.Field.Name) : new ColumnSuggestion(c.Column, null, null)).ToList();
        return TypedResults.Ok(new Suggestions(entity, suggested));
    }

    /// <summary>A pool field as the editor offers it; <c>Codes</c> (code → label) for a code field, so values show as labels.</summary>
    public sealed record EditorField(string Name, Labels Labels, string Type, string? CodeTable, string? Format, string Pii,
        IReadOnlyDictionary<string, string>? Codes);

    public sealed record EditorEntity(string Name, Labels Labels, IReadOnlyList<string> Key, IReadOnlyList<EditorField> Fields);

    private static Ok<IReadOnlyList<EditorEntity>> Fields(SchemaCatalog schema) => TypedResults.Ok<IReadOnlyList<EditorEntity>>(schema.Entities.Values
        .OrderBy(e => e.Name == "person" ? 0 : 1).ThenBy(e => e.Name, StringComparer.Ordinal)
        .Select(e => new EditorEntity(e.Name, e.Labels, e.Key,
            e.Fields.Values.Select(f => new EditorField(f.Name, f.Labels, f.Type, f.CodeTable, f.Format, f.Pii,
                f.CodeTable is { } table ? schema.CodeTables.GetValueOrDefault(table)?.Codes : null)).ToList()))
        .ToList());
}
