using System.Text.Json;
using ClosedXML.Excel;
using DataPool.Connectors.Excel;
using DataPool.Core.FormRequests;
using DataPool.Core.Forms;
using DataPool.Server.Api;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.FormRequests;

/// <summary>A proposed form as JSON: its name, the proposing department (an analyst's own), and its fields.</summary>
public sealed record FormRequestBody(string? Name, string? Department, IReadOnlyList<ProposedField>? Fields);

/// <summary>
/// <c>/api/form-requests</c>, the admission gate (社区工作准入): a department (its analysts, or an admin) proposes a form
/// as a list of fields or an Excel template (multipart field <c>file</c>; the header row is read) and gets each field's
/// coverage; an admin approves, which adds only the truly new fields to the unified form.
/// </summary>
public static class FormRequestEndpoints
{
    private const int MaxFields = 200;
    internal const long MaxTemplateBytes = 5 * 1024 * 1024;

    /// <summary>The template, its name and department, and the multipart framing around them.</summary>
    internal const long MaxUploadBytes = MaxTemplateBytes + (64 * 1024);

    /// <summary>
    /// A template is a header row: the connector's checks with smaller limits, applied before ClosedXML (which
    /// allocates all a file expands to) sees the upload, so a zip bomb of shared strings costs the server nothing.
    /// </summary>
    internal static readonly XlsxLimits TemplateLimits = XlsxLimits.Default with
    {
        MaxUncompressedBytes = 64 * XlsxLimits.Megabyte,
        MaxSharedStrings = 100_000,
        MaxSharedStringBytes = 16 * XlsxLimits.Megabyte,
        MaxCellsPerSheet = 100_000,
    };

    public static IServiceCollection AddFormRequests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FormRequestStore>();
        services.AddSingleton<Core.Store.IStoreInitializer, FormRequestTable>();
        services.AddSingleton<FieldCoverage>();
        return services;
    }

    public static RouteGroupBuilder MapFormRequestEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/form-requests").RequireAuthorization(Policies.Analyst).WithTags("Form requests");
        group.MapPost("/", SubmitAsync).WithName("ProposeForm").DisableAntiforgery()
            .WithSummary("Proposes a form (JSON fields, or a multipart Excel template whose header row is read) and answers each field's coverage: pool, connected or new");
        group.MapGet("/", ListAsync).WithName("ListFormRequests").WithSummary("Proposals (an analyst: their department's)");
        group.MapGet("/{id:long}", GetAsync).WithName("GetFormRequest").WithSummary("One proposal with its coverage");
        group.MapPost("/{id:long}/approve", ApproveAsync).RequireAuthorization(Policies.Admin).WithName("ApproveFormRequest")
            .WithSummary("Admin: approves a proposal, adding only its truly new fields to the unified form (a new form version)");
        return group;
    }

    private static async Task<Results<Created<FormRequest>, ValidationProblem, ProblemHttpResult>> SubmitAsync(HttpRequest request, FieldCoverage coverage, FormRequestStore store, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(request.HttpContext.User);
        var errors = new Dictionary<string, string[]>();
        FormRequestBody body;
        if (request.HasFormContentType)
        {
            if (LimitUpload(request.HttpContext) is { } tooLarge)
            {
                return tooLarge;
            }

            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (InvalidDataException e)
            {
                // A malformed multipart body; one over the limit is Kestrel's 413 (BadRequestExceptionHandler).
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"无法读取上传的表单：{e.Message}"] });
            }

            var file = form.Files.GetFile("file");
            var fields = new List<ProposedField>();
            if (file is null || file.Length == 0 || file.Length > MaxTemplateBytes)
            {
                errors["file"] = [$"上传一个 Excel 模板（.xlsx，不超过 {MaxTemplateBytes / 1024 / 1024} MB）"];
            }
            else
            {
                try
                {
                    await using var stream = new MemoryStream();
                    await file.CopyToAsync(stream, cancellationToken);
                    stream.Position = 0;
                    XlsxInspector.Check(stream, TemplateLimits, Path.GetFileName(file.FileName), cancellationToken);
                    fields = HeaderRow(stream);
                }
                catch (XlsxLimitException e)
                {
                    errors["file"] = [$"该 Excel 模板超出限制：{e.Detail}"];
                }
                catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
                {
                    // An upload is untrusted input and the Excel libraries throw many kinds of exception on a damaged
                    // file: each is the caller's bad file (400), never a server error.
                    errors["file"] = ["无法读取该 Excel 模板（须为 .xlsx）"];
                }
            }

            body = new FormRequestBody(form["name"].FirstOrDefault() ?? Path.GetFileNameWithoutExtension(file?.FileName), form["department"].FirstOrDefault(), fields);
        }
        else
        {
            try
            {
                body = await request.ReadFromJsonAsync<FormRequestBody>(cancellationToken) ?? new FormRequestBody(null, null, null);
            }
            catch (JsonException)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["请求体须为 JSON：{ name, department, fields: [{ label, hint }] }"] });
            }
        }

        var department = user.Role == Roles.Analyst ? user.Department : body.Department;
        if (string.IsNullOrWhiteSpace(body.Name))
        {
            errors["name"] = ["请填写表单名称"];
        }

        if (string.IsNullOrWhiteSpace(department))
        {
            errors["department"] = ["请填写提出部门"];
        }
        else if (user.Role == Roles.Analyst && body.Department is not null && body.Department != user.Department)
        {
            errors["department"] = ["部门分析员只能为本部门提出表单"];
        }

        var proposed = body.Fields ?? [];
        if (!errors.ContainsKey("file") && (proposed.Count == 0 || proposed.Count > MaxFields))
        {
            errors["fields"] = [$"至少列出一个字段，最多 {MaxFields} 个"];
        }

        for (var i = 0; i < proposed.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(proposed[i].Label) || proposed[i].Label!.Length > 100)
            {
                errors[$"fields[{i}].label"] = ["字段名称必填，不超过100个字符"];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "表单申请有误");
        }

        var covered = await coverage.CoverAsync(proposed, cancellationToken);
        var saved = await store.AddAsync(body.Name!.Trim(), department!, user.Name, covered.Fields, cancellationToken);
        return TypedResults.Created($"/api/form-requests/{saved.Id}", saved with { Notes = covered.Notes });
    }

    /// <summary>The upload's own body limit, below the server-wide one.</summary>
    private static ProblemHttpResult? LimitUpload(HttpContext http) => UploadLimits.Apply(http, MaxUploadBytes,
        "上传的模板过大", $"an Excel template upload may be at most {MaxTemplateBytes / 1024 / 1024} MB");

    private static async Task<Ok<IReadOnlyList<FormRequest>>> ListAsync(HttpContext http, FormRequestStore store, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(http.User);
        return TypedResults.Ok(await store.ListAsync(user.Role == Roles.Admin ? null : user.Department ?? "-", cancellationToken));
    }

    private static async Task<Results<Ok<FormRequest>, ProblemHttpResult>> GetAsync(long id, HttpContext http, FormRequestStore store, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(http.User);
        var found = await store.GetAsync(id, cancellationToken);
        return found is not null && (user.Role == Roles.Admin || found.Department == user.Department)
            ? TypedResults.Ok(found)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "没有该表单申请", detail: $"no form request {id}");
    }

    private static async Task<Results<Ok<FormRequest>, ProblemHttpResult>> ApproveAsync(long id, HttpContext http, FormRequestStore store, FormDefinitions definitions, CancellationToken cancellationToken)
    {
        var found = await store.GetAsync(id, cancellationToken);
        if (found is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "没有该表单申请", detail: $"no form request {id}");
        }

        if (found.Status != FormRequestStore.Pending)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "该申请已审批", detail: $"form request {id} is {found.Status}");
        }

        var newFields = found.Fields.Where(f => f.Coverage == FieldCoverage.New).Select(f => (f.Label, f.Hint)).ToList();
        if (newFields.Count > 0)
        {
            await definitions.AddAsync(id, found.Department, newFields, cancellationToken);
        }

        var version = (await definitions.CurrentAsync(cancellationToken)).Version;
        if (!await store.ApproveAsync(id, CurrentUser.From(http.User).Name, version, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "该申请已审批", detail: $"form request {id} was approved meanwhile");
        }

        return TypedResults.Ok((await store.GetAsync(id, cancellationToken))!);
    }

    /// <summary>The template's header row: the first row with two or more filled cells (a merged title row above it is skipped).</summary>
    private static List<ProposedField> HeaderRow(Stream stream)
    {
        using var workbook = new XLWorkbook(stream);
        var sheet = workbook.Worksheets.First();
        foreach (var row in sheet.RowsUsed())
        {
            var labels = row.CellsUsed().Select(c => c.GetString().Trim()).Where(t => t.Length > 0).ToList();
            if (labels.Count >= 2)
            {
                return labels.Select(l => new ProposedField(l, null)).ToList();
            }
        }

        return [];
    }
}
