using DataPool.Core.Burden;
using Microsoft.Extensions.Options;

namespace DataPool.Server.Burden;

public static class BurdenSetup
{
    /// <summary>The seconds a worker spends per field entry and per certificate (<c>DataPool:Burden</c>), for the estimate of time saved.</summary>
    public static IServiceCollection AddBurden(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BurdenRates>().BindConfiguration("DataPool:Burden")
            .Validate(r => r.SecondsPerEntry > 0 && r.SecondsPerCertificate > 0, "DataPool:Burden:SecondsPerEntry and SecondsPerCertificate are more than 0")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<BurdenRates>>().Value);
        return services;
    }
}
