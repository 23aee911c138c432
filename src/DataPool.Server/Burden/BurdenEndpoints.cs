using DataPool.Core.Burden;
using DataPool.Server.Identity;

namespace DataPool.Server.Burden;

/// <summary><c>/api/burden</c> (every signed-in role): the burden ledger, computed from the catalog, the unified form and the pool.</summary>
public static class BurdenEndpoints
{
    public static RouteGroupBuilder MapBurdenEndpoints(this WebApplication app)
    {
        // The certificate catalog is checked at start: a bad file stops the server naming its JSON path.
        _ = app.Services.GetRequiredService<Core.Certificates.CertificateCatalog>();
        var group = app.MapGroup("/api/burden").RequireAuthorization(Policies.Authenticated).WithTags("Burden");
        group.MapGet("/", async (BurdenLedger ledger, CancellationToken ct) => TypedResults.Ok(await ledger.ComputeAsync(ct)))
            .WithName("GetBurden")
            .WithSummary("Legacy forms retired and remaining, and field entries per household per year before and after, per community and in total");
        return group;
    }
}
