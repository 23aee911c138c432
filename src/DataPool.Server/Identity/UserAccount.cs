using System.Security.Claims;
using DataPool.Core.Identity;

namespace DataPool.Server.Identity;

/// <summary>A user as the request's principal.</summary>
public static class UserPrincipals
{
    /// <summary>The principal a request runs as: name, role, and the community or department the user is bound to.</summary>
    public static ClaimsPrincipal ToPrincipal(this UserAccount user, string scheme, string? apiKeyPrefix = null, string? stamp = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Role, user.Role),
            new(Claims.DisplayName, user.DisplayName),
        };
        if (user.Community is not null)
        {
            claims.Add(new Claim(Claims.Community, user.Community));
        }

        if (user.Department is not null)
        {
            claims.Add(new Claim(Claims.Department, user.Department));
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
    /// <summary>The name of <see cref="Community"/>, which the header shows with the code beside.</summary>
    public string? CommunityName { get; init; }

    public static CurrentUser From(ClaimsPrincipal user) => new(
        user.Identity?.Name ?? "",
        user.FindFirstValue(Claims.DisplayName) ?? user.Identity?.Name ?? "",
        user.FindFirstValue(ClaimTypes.Role) ?? "",
        user.FindFirstValue(Claims.Community),
        user.FindFirstValue(Claims.Department),
        user.FindFirstValue(Claims.ApiKey));
}
