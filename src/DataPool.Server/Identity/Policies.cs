namespace DataPool.Server.Identity;

/// <summary>
/// The authorization policies every route names (nothing is open by default). A worker is bound to one
/// community (claim <see cref="Claims.Community"/>), an analyst to one department (<see cref="Claims.Department"/>).
/// </summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Worker = "worker";
    public const string Analyst = "analyst";
    /// <summary>Any signed-in user, whatever the role.</summary>
    public const string Authenticated = "authenticated";
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Worker = "worker";
    public const string Analyst = "analyst";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Admin, Worker, Analyst };
}

public static class Claims
{
    public const string Community = "datapool:community";
    public const string Department = "datapool:department";
    public const string DisplayName = "datapool:display-name";
    /// <summary>Set when the caller came with an API key: the key's prefix (for audit lines), never the secret.</summary>
    public const string ApiKey = "datapool:api-key";
    /// <summary>A session cookie's security stamp: the cookie is valid only while it equals the user's stored one.</summary>
    public const string SecurityStamp = "datapool:stamp";
}
