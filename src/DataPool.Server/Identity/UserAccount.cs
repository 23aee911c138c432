using System.Security.Claims;
using System.Text.RegularExpressions;
using DataPool.Core.Access;

namespace DataPool.Server.Identity;

/// <summary>A user as the API shows it: never the password hash.</summary>
public sealed record UserAccount(
    long Id, string Name, string DisplayName, string Role, string? Community, string? Department, bool Disabled, DateTimeOffset CreatedAt)
{
    /// <summary>The principal a request runs as: name, role, and the community or department the user is bound to.</summary>
    public ClaimsPrincipal ToPrincipal(string scheme, string? apiKeyPrefix = null, string? stamp = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, Name),
            new(ClaimTypes.Role, Role),
            new(Claims.DisplayName, DisplayName),
        };
        if (Community is not null)
        {
            claims.Add(new Claim(Claims.Community, Community));
        }

        if (Department is not null)
        {
            claims.Add(new Claim(Claims.Department, Department));
        }

        if (apiKeyPrefix is not null)
        {
            claims.Add(new Claim(Claims.ApiKey, apiKeyPrefix));
        }

        if (stamp is not null)
        {
            claims.Add(new Claim(Claims.SecurityStamp, stamp));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}

/// <summary>Who is calling, as <c>GET /api/auth/me</c> answers: read from the request's principal.</summary>
public sealed record CurrentUser(string Name, string DisplayName, string Role, string? Community, string? Department, string? ApiKey)
{
    public static CurrentUser From(ClaimsPrincipal user) => new(
        user.Identity?.Name ?? "",
        user.FindFirstValue(Claims.DisplayName) ?? user.Identity?.Name ?? "",
        user.FindFirstValue(ClaimTypes.Role) ?? "",
        user.FindFirstValue(Claims.Community),
        user.FindFirstValue(Claims.Department),
        user.FindFirstValue(Claims.ApiKey));
}

/// <summary>
/// A user to create (from <c>POST /api/users</c> or <c>users add</c>). A worker is bound to exactly one community,
/// an analyst to exactly one department, an administrator to neither: the binding is what scopes their data.
/// A department is real when it has a grant file (schemas/access); <c>community-worker</c> is the workers' grant,
/// not a department, since an analyst holding it would read every community.
/// </summary>
public sealed partial record NewUser(string? Name, string? DisplayName, string? Role, string? Community, string? Department, string? Password)
{
    public const int MinimumPasswordLength = 8;

    /// <summary>Every problem by field (JSON names); empty when the user can be created.</summary>
    public Dictionary<string, string[]> Validate(AccessGrants grants)
    {
        var departments = grants.Departments.Where(d => d != AccessGrants.CommunityWorker).Order(StringComparer.Ordinal).ToList();
        var errors = new Dictionary<string, string[]>();
        if (Name is null || !NamePattern().IsMatch(Name))
        {
            errors["name"] = ["a name is 1-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"];
        }

        if (Role is null || !Roles.All.Contains(Role))
        {
            errors["role"] = [$"the role is one of {string.Join(", ", Roles.All.Order(StringComparer.Ordinal))}"];
        }

        if (Role == Roles.Worker && (Community is null || !CommunityPattern().IsMatch(Community)))
        {
            errors["community"] = ["a worker is bound to one community: its 12-digit community code"];
        }
        else if (Role != Roles.Worker && Community is not null)
        {
            errors["community"] = ["only a worker is bound to a community"];
        }

        if (Role == Roles.Analyst && (Department is null || !DepartmentPattern().IsMatch(Department)))
        {
            errors["department"] = ["an analyst is bound to one department, e.g. civil-affairs ([a-z0-9-])"];
        }
        else if (Role == Roles.Analyst && !departments.Contains(Department!, StringComparer.Ordinal))
        {
            errors["department"] = [Department == AccessGrants.CommunityWorker
                ? $"'{AccessGrants.CommunityWorker}' is the grant of community workers, not a department: create a worker bound to a community instead"
                : $"'{Department}' is not a department (none has a grant file schemas/access/{Department}.json); the departments are {string.Join(", ", departments)}"];
        }
        else if (Role != Roles.Analyst && Department is not null)
        {
            errors["department"] = ["only an analyst is bound to a department"];
        }

        if (Password is null || Password.Length < MinimumPasswordLength)
        {
            errors["password"] = [$"a password has at least {MinimumPasswordLength} characters"];
        }

        return errors;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex CommunityPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex DepartmentPattern();
}
