using DataPool.Core.Access;
using DataPool.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Identity;

/// <summary><c>/api/users</c>: administrators manage users and their API keys. Nobody else may call any of it.</summary>
public static class UserEndpoints
{
    public static RouteGroupBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        group.MapGet("/", ListAsync).WithSummary("Admin: every user, with role and binding");
        group.MapPost("/", CreateAsync).WithSummary("Admin: create a user (worker: community; analyst: department)");
        group.MapGet("/{name}", GetAsync).WithSummary("Admin: one user");
        group.MapPost("/{name}/disable", (string name, UserAccounts users, HttpContext context, CancellationToken ct) => SetDisabledAsync(name, true, users, context, ct))
            .WithSummary("Admin: disable a user; their sessions and keys stop working at once");
        group.MapPost("/{name}/enable", (string name, UserAccounts users, HttpContext context, CancellationToken ct) => SetDisabledAsync(name, false, users, context, ct))
            .WithSummary("Admin: enable a disabled user again");
        group.MapPost("/{name}/unlock", UnlockAsync).WithSummary("Admin: lift the user's sign-in lock (after repeated wrong passwords) and forget the failures");
        group.MapPost("/{name}/keys", CreateKeyAsync).WithSummary("Admin: create an API key for the user; the key is in this answer only");
        group.MapGet("/{name}/keys", ListKeysAsync).WithSummary("Admin: the user's keys by prefix, with created, last used and revoked dates");
        group.MapDelete("/{name}/keys/{prefix}", RevokeKeyAsync).WithSummary("Admin: revoke one of the user's keys");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<UserAccount>>> ListAsync(UserAccounts users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.ListAsync(cancellationToken));

    private static async Task<Results<Ok<UserAccount>, ProblemHttpResult>> GetAsync(string name, UserAccounts users, CancellationToken cancellationToken) =>
        await users.FindAsync(name, cancellationToken) is { } user ? TypedResults.Ok(user) : NoSuchUser(name);

    private static async Task<Results<Created<UserAccount>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        NewUser user, UserAccounts users, AccessGrants grants, CancellationToken cancellationToken)
    {
        var errors = user.Validate(grants);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var created = await users.CreateAsync(user, cancellationToken);
        return created is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "User exists", detail: $"a user named '{user.Name}' exists already")
            : TypedResults.Created($"/api/users/{created.Name}", created);
    }

    private static async Task<Results<Ok<UserAccount>, ProblemHttpResult>> SetDisabledAsync(
        string name, bool disabled, UserAccounts users, HttpContext context, CancellationToken cancellationToken)
    {
        // An administrator who disables themselves may leave nobody able to undo it.
        if (disabled && string.Equals(name, context.User.Identity?.Name, StringComparison.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot disable yourself", detail: "ask another administrator");
        }

        return await users.SetDisabledAsync(name, disabled, cancellationToken) is { } user ? TypedResults.Ok(user) : NoSuchUser(name);
    }

    private static async Task<Results<Ok<UserAccount>, ProblemHttpResult>> UnlockAsync(string name, AccountSecurity security, CancellationToken cancellationToken) =>
        await security.UnlockAsync(name, cancellationToken) is { } user ? TypedResults.Ok(user) : NoSuchUser(name);

    private static async Task<Results<Created<NewApiKey>, ProblemHttpResult>> CreateKeyAsync(string name, ApiKeys keys, CancellationToken cancellationToken) =>
        await keys.CreateAsync(name, cancellationToken) is { } key
            ? TypedResults.Created($"/api/users/{name}/keys", key)
            : NoSuchUser(name);

    private static async Task<Results<Ok<IReadOnlyList<ApiKeyInfo>>, ProblemHttpResult>> ListKeysAsync(string name, ApiKeys keys, CancellationToken cancellationToken) =>
        await keys.ListAsync(name, cancellationToken) is { } list ? TypedResults.Ok(list) : NoSuchUser(name);

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(string name, string prefix, ApiKeys keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(name, prefix, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such key", detail: $"'{name}' has no active key with prefix '{prefix}'");

    private static ProblemHttpResult NoSuchUser(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such user", detail: $"there is no user named '{name}'");
}
