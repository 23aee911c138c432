using DataPool.Core.Identity;

namespace DataPool.Server.Identity;

/// <summary>The lockout policy as configured: <c>DataPool:RateLimits:LockoutFailures</c> and <c>…:LockoutMinutes</c>.</summary>
public static class LockoutConfiguration
{
    extension(LockoutPolicy)
    {
        public static LockoutPolicy From(IConfiguration configuration) => new(
            Math.Max(1, configuration.GetValue("DataPool:RateLimits:LockoutFailures", LockoutPolicy.Default.Failures)),
            TimeSpan.FromMinutes(configuration.GetValue("DataPool:RateLimits:LockoutMinutes", LockoutPolicy.Default.Duration.TotalMinutes)));
    }
}
