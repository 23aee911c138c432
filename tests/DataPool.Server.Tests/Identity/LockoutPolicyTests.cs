using DataPool.Core.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Identity;

/// <summary>The lock grows with each lock in a row, up to a day, and is configurable.</summary>
[TestFixture]
public sealed class LockoutPolicyTests
{
    [Test]
    public void Each_further_lock_lasts_twice_as_long_up_to_a_day()
    {
        var policy = LockoutPolicy.Default;
        Assert.That(new[] { policy.LockFor(1), policy.LockFor(2), policy.LockFor(3), policy.LockFor(40) },
            Is.EqualTo(new[] { TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60), TimeSpan.FromDays(1) }));
    }

    [Test]
    public void The_policy_is_bound_from_the_rate_limit_settings()
    {
        using var provider = Composition.Of(new()
        {
            ["DataPool:RateLimits:LockoutFailures"] = "3",
            ["DataPool:RateLimits:LockoutMinutes"] = "2",
        });
        Assert.That(provider.GetRequiredService<LockoutPolicy>(), Is.EqualTo(new LockoutPolicy(3, TimeSpan.FromMinutes(2))));
    }

    [Test]
    public void Unset_the_policy_is_the_default()
    {
        using var provider = Composition.Of([]);
        Assert.That(provider.GetRequiredService<LockoutPolicy>(), Is.EqualTo(LockoutPolicy.Default));
    }
}
