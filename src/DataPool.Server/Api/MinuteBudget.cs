using System.Threading.RateLimiting;

namespace DataPool.Server.Api;

/// <summary>
/// What one key (a user, a client address, an API-key prefix) may do in a fixed one-minute window: verification
/// questions per user, serial checks per address, failed API-key attempts per prefix. Each use is registered under
/// its own service key. The rate-limiting middleware takes a permit before a request runs; a budget is asked where
/// the route knows what to count (only failures, say).
/// </summary>
public sealed class MinuteBudget(int perMinute) : IDisposable
{
    public const string VerifyQuestions = "verify-questions";
    public const string SerialChecks = "serial-checks";
    public const string FailedApiKeys = "failed-api-keys";

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, perMinute), Window = Window, QueueLimit = 0 }));

    /// <summary>Spends one use of the key's budget; false (nothing spent) when this window's budget is used up.</summary>
    public bool TryTake(string key)
    {
        // A fixed-window permit is spent for the window whether or not the lease is disposed.
        using var lease = _limiter.AttemptAcquire(key);
        return lease.IsAcquired;
    }

    /// <summary>True when the key used up this window's budget; spends nothing.</summary>
    public bool IsSpent(string key) => _limiter.GetStatistics(key) is { CurrentAvailablePermits: <= 0 };

    public void Dispose() => _limiter.Dispose();
}
