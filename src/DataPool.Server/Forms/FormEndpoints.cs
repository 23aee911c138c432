using DataPool.Core.Access;
using DataPool.Core.Schema;
using DataPool.Core.Forms;
using DataPool.Core.Store;
using DataPool.Server.Api;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Forms;

/// <summary>
/// <c>/api/forms</c> (workers for their own community, admins for all): the unified form's definition, household
/// search, the prefilled form with provenance, and saving it with If-Match (412 with what changed, 428 without it).
/// </summary>
public static class FormEndpoints
{
    private const string Household = "household";
    private const string SearchPurpose = "GET /api/forms/households?q";

    public static RouteGroupBuilder MapFormEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/forms").RequireAuthorization(Policies.Worker).WithTags("Forms").WithJsonBodyLimit();
        group.MapGet("/definition", async (FormDefinitions definitions, CancellationToken ct) => TypedResults.Ok(await definitions.CurrentAsync(ct)))
            .WithName("GetFormDefinition").WithSummary("The unified household form: sections, fields, rules, and the legacy forms each field replaces");
        group.MapGet("/households", SearchAsync).WithName("SearchHouseholds")
            .WithSummary("Households by the household number, an ID number, a surname or part of a member's name, part of the address or address shorthand (2-2-201); a worker: own community. Paged (page=1…, 50 a page) with the total of all matches");
        group.MapGet("/households/{householdNo}", GetAsync).WithName("GetHouseholdForm")
            .WithSummary("The household's form prefilled from the pool, each value with the source, department and time that supplied it; ETag header");
        group.MapPut("/households/{householdNo}", PutAsync).WithName("SaveHouseholdForm")
            .WithSummary("Saves corrections, new and removed members through the community-form source; needs If-Match")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return group;
    }

    private static async Task<Results<Ok<HouseholdPage>, ValidationProblem>> SearchAsync(string? q, int? page, HttpContext http, PoolDatabase database,
        IPoolAccess access, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(q) || q.Length > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["请输入姓名、身份证号、地址或户号（不超过100个字符）"] });
        }

        // The hits pass the viewer's view of households: its community, its grant of each value shown, and the audit.
        if (access.ViewOf(http.User.ToViewer(), Household) is not { } view)
        {
            return TypedResults.Ok(new HouseholdPage(0, 1, HouseholdSearch.PageSize, []));
        }

        var found = await HouseholdSearch.FindAsync(database, q, view.Community, page ?? 1, cancellationToken);
        var hits = found.Items.Select(h => h with { Address = view.Present("address", h.Address), HeadName = view.Present("head_name", h.HeadName) }).ToList();
        await view.AuditAsync(hits.Select(h => h.PoolId).ToList(), ["household_no", "address", "head_name"], SearchPurpose, cancellationToken);
        return TypedResults.Ok(found with { Items = hits });
    }

    private static async Task<Results<Ok<HouseholdForm>, ProblemHttpResult>> GetAsync(string householdNo, HttpContext http, FormDefinitions definitions,
        HouseholdForms forms, IPoolAccess access, SchemaCatalog schema, CancellationToken cancellationToken)
    {
        var form = await forms.GetAsync(await definitions.CurrentAsync(cancellationToken), householdNo, cancellationToken);
        if (Refused(form, http, access) is { } refusal)
        {
            return refusal;
        }

        await AuditAsync(access, http, form!, "GET /api/forms/households", cancellationToken);
        http.Response.Headers.ETag = $"\"{form!.Etag}\"";
        return TypedResults.Ok(AsGranted(form, await definitions.CurrentAsync(cancellationToken), http, access, schema));
    }

    private static async Task<Results<Ok<HouseholdForm>, ValidationProblem, ProblemHttpResult>> PutAsync(string householdNo, FormSubmission? body, HttpContext http,
        FormDefinitions definitions, HouseholdForms forms, IPoolAccess access, SchemaCatalog schema, CancellationToken cancellationToken)
    {
        var definition = await definitions.CurrentAsync(cancellationToken);
        var current = await forms.GetAsync(definition, householdNo, cancellationToken);
        if (Refused(current, http, access) is { } refusal)
        {
            return refusal;
        }

        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "缺少 If-Match",
                detail: "send the ETag of the form you edited in If-Match, so a save never overwrites a change you have not seen");
        }

        var outcome = await forms.SubmitAsync(definition, householdNo, ifMatch, body ?? new FormSubmission(null, null), CurrentUser.From(http.User).Name, cancellationToken);
        switch (outcome)
        {
            case SubmitOutcome.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors, title: "表单填写有误");
            case SubmitOutcome.Stale stale:
                http.Response.Headers.ETag = $"\"{stale.CurrentEtag}\"";
                return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "表单已被他人修改",
                    detail: "the household changed since you opened it; reload, check the changes and save again",
                    extensions: new Dictionary<string, object?> { ["changes"] = Granted(stale.Changes, current!, definition, http, access, schema), ["etag"] = stale.CurrentEtag });
            case SubmitOutcome.Failed failed:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "保存未完成", detail: failed.Message);
            case SubmitOutcome.Saved saved:
                await AuditAsync(access, http, saved.Form, "PUT /api/forms/households", cancellationToken);
                http.Response.Headers.ETag = $"\"{saved.Form.Etag}\"";
                return TypedResults.Ok(AsGranted(saved.Form, definition, http, access, schema));
            default:
                throw new InvalidOperationException(outcome.GetType().Name);
        }
    }

    /// <summary>
    /// 404 for an unknown household and for another community's alike (same status, same body): nothing tells a worker
    /// which household numbers exist elsewhere.
    /// </summary>
    private static ProblemHttpResult? Refused(HouseholdForm? form, HttpContext http, IPoolAccess access) =>
        form is null || access.ViewOf(http.User.ToViewer(), Household) is not { } view || !view.InCommunity(form.CommunityCode)
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "没有该户", detail: "no such household among the households you serve")
            : null;

    /// <summary>
    /// The form as the viewer's grant shows it: a field not granted, or granted masked, is withheld (no value, no source),
    /// so the form never shows more than the query API. Fields of approved extensions (no pool entity yet) are the form's own.
    /// </summary>
    private static HouseholdForm AsGranted(HouseholdForm form, FormDefinition definition, HttpContext http, IPoolAccess access, SchemaCatalog schema)
    {
        var viewer = http.User.ToViewer();
        var views = new Dictionary<string, PoolView?>(StringComparer.Ordinal);
        return form.As(definition, (entity, field) => !schema.Entities.ContainsKey(entity)
            || ((views.TryGetValue(entity, out var view) ? view : views[entity] = access.ViewOf(viewer, entity)) is { } v && v.Shows(field) && !v.Masks(field)));
    }

    /// <summary>A stale save's changes without the values of fields withheld from the viewer.</summary>
    private static IReadOnlyList<FieldChange> Granted(IReadOnlyList<FieldChange> changes, HouseholdForm current, FormDefinition definition, HttpContext http, IPoolAccess access, SchemaCatalog schema)
    {
        var withheld = AsGranted(current, definition, http, access, schema).Flatten().Where(p => p.Value.Withheld).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        return changes.Select(c => withheld.Contains(c.Path) ? c with { Theirs = null, Source = null, At = null } : c).ToList();
    }

    private static Task AuditAsync(IPoolAccess access, HttpContext http, HouseholdForm form, string purpose, CancellationToken cancellationToken)
    {
        var ids = form.Members.Select(m => m.PoolId).OfType<long>().ToList();
        var fields = form.Members.SelectMany(m => m.Sections[FormDefinition.Members].Keys).Distinct().ToList();
        return access.AuditedViewOf(http.User.ToViewer(), "person").AuditAsync(ids, fields, $"{purpose}/{form.HouseholdNo}", cancellationToken);
    }
}
