using DataPool.Core.Identity;

namespace DataPool.Server.Identity;

/// <summary>
/// The sign-in lockout, bound from the rate-limit section <c>DataPool:RateLimits</c>: <c>LockoutFailures</c> wrong
/// passwords in a row (at least 1) lock an account for <c>LockoutMinutes</c> (more than 0), twice as long at each
/// further lock (<see cref="LockoutPolicy"/>).
/// </summary>
public sealed class LockoutOptions
{
    public const string Section = RateLimits.Section;

    public int LockoutFailures { get; set; } = LockoutPolicy.Default.Failures;

    public double LockoutMinutes { get; set; } = LockoutPolicy.Default.Duration.TotalMinutes;

    public LockoutPolicy Policy => new(LockoutFailures, TimeSpan.FromMinutes(LockoutMinutes));
}
