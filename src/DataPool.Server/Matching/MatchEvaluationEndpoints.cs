using DataPool.Core.Matching;
using DataPool.Core.Store;
using DataPool.Server.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DataPool.Server.Matching;

/// <summary>What the review page shows of a truth file judged against the pool: counts only, never a record's values.</summary>
public sealed record EvaluationSummary(int Records, int NotInPool, PairCounts Pool, IReadOnlyList<ThresholdRow> ByThreshold, IReadOnlyList<BlockingRuleReport> Blocking,
    BlockingRuleReport AllRules, long? ModelVersion);

/// <summary>
/// <c>POST /api/matches/evaluate</c> (admins, on the matches group): a truth file (the CSV body: source_id,source_key,entity)
/// judged as <c>match evaluate</c> judges it, by the same code (<see cref="MatchEvaluationStore.EvaluateAsync"/>), for the curve
/// of precision, recall and F1 by threshold on the review page. The answer holds pair counts only, no personal data.
/// </summary>
public static class MatchEvaluationEndpoints
{
    /// <summary>A truth file larger than this is refused before it is read: a labelled sample is small.</summary>
    public const long MaxTruthBytes = 8 * 1024 * 1024;

    public static void MapMatchEvaluation(this RouteGroupBuilder group) =>
        group.MapPost("/evaluate", EvaluateAsync).WithName("EvaluateMatching").DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxTruthBytes))
            .WithSummary("Precision, recall and F1 of the pool's persons against a truth CSV (body: source_id,source_key,entity), overall and by threshold, and what each blocking rule costs and finds")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    private static async Task<Results<Ok<EvaluationSummary>, ValidationProblem, ProblemHttpResult>> EvaluateAsync(HttpRequest request, PoolDatabase database,
        MatchSettings settings, CancellationToken cancellationToken)
    {
        if (UploadLimits.Apply(request.HttpContext, MaxTruthBytes, "真值文件过大", $"a truth file may be at most {MaxTruthBytes / 1024 / 1024} MB") is { } tooLarge)
        {
            return tooLarge;
        }

        // Read whole (at most the limit) before parsing: the CSV reader reads synchronously, which Kestrel refuses on a request body.
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        body.Position = 0;
        List<TruthRow> truth;
        try
        {
            using var reader = new StreamReader(body, detectEncodingFromByteOrderMarks: true);
            truth = MatchEvaluationStore.ReadTruth(reader, "truth file");
        }
        catch (InvalidDataException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["truth"] = [e.Message] }, title: "无法读取真值文件");
        }

        if (truth.Count == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["truth"] = ["the truth file has no rows"] }, title: "真值文件为空");
        }

        var (report, records) = await MatchEvaluationStore.EvaluateAsync(database, truth, settings, maxAudit: 0, cancellationToken: cancellationToken);
        return TypedResults.Ok(new EvaluationSummary(records.Count, records.Count(r => r.Pool is null), report.Pool, report.ByThreshold, report.Blocking,
            report.AllRules, report.ModelVersion));
    }
}
