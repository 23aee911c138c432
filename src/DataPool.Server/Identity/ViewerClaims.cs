using System.Security.Claims;
using DataPool.Core.Access;
using DataPool.Server.Identity;

namespace DataPool.Server.Identity;

/// <summary>The request's principal as the access layer sees it.</summary>
public static class ViewerClaims
{
    /// <summary>Name, role, and the department (analyst) or community (worker) the user is bound to.</summary>
    public static Viewer ToViewer(this ClaimsPrincipal user)
    {
        var current = CurrentUser.From(user);
        return new Viewer(current.Name, current.Role, current.Department, current.Community);
    }
}
