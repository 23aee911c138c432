using DataPool.Core.Query;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Pool;

public static class QueryProblems
{
    /// <summary>The refusal as a ProblemDetails response (status and title).</summary>
    public static ProblemHttpResult ToResult(this QueryProblem problem) => TypedResults.Problem(title: problem.Title, statusCode: problem.Status);
}
