using DataPool.Server.Identity;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authorization;

namespace DataPool.Server.Scheduling;

/// <summary>
/// Lets only administrators into the Hangfire dashboard: the signed-in user (cookie or API key, authenticated by the
/// identity middleware before the dashboard runs) must satisfy <see cref="Policies.Admin"/>. Without an
/// authorization setup or that policy, everyone is refused: the dashboard can trigger and delete jobs.
/// </summary>
public sealed class AdminDashboardFilter : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        var services = http.RequestServices;
        if (services.GetService<IAuthorizationPolicyProvider>() is not { } policies
            || services.GetService<IAuthorizationService>() is not { } authorization
            || await policies.GetPolicyAsync(Policies.Admin) is not { } admin)
        {
            return false;
        }

        return (await authorization.AuthorizeAsync(http.User, resource: null, admin)).Succeeded;
    }
}
