using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace DataPool.Connectors.Rest;

/// <summary>One logical request (one page): the source's resilience settings in, the attempts made out.</summary>
internal sealed class RestCall(RestCallSettings settings, RateLimiter? limiter)
{
    public static readonly HttpRequestOptionsKey<RestCall> Key = new("DataPool.Rest.Call");

    public RestCallSettings Settings { get; } = settings;

    public RateLimiter? Limiter { get; } = limiter;

    private int _attempts;

    /// <summary>Requests actually sent.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public void CountAttempt() => Interlocked.Increment(ref _attempts);

    public static RestCall? Of(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(Key, out var call) ? call : null;
}

/// <summary>
/// The resilience pipeline of the named client, outermost first: total timeout → retry (exponential backoff
/// with jitter; 5xx, 408, 429 honouring Retry-After, connection failures, attempt timeouts) → rate limit
/// (every attempt waits for its permit) → per-attempt timeout. The numbers come from each source's settings,
/// carried on the request (<see cref="RestCall"/>), so one client serves every source.
/// </summary>
internal static class RestResilience
{
    private static readonly RateLimiter Unlimited = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = int.MaxValue, QueueLimit = 0 });

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder)
    {
        builder
            .AddTimeout(new TimeoutStrategyOptions
            {
                Name = "total",
                TimeoutGenerator = args => ValueTask.FromResult(RestCall.Of(args.Context)?.Settings.TotalTimeout ?? Timeout.InfiniteTimeSpan),
            })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "retry",
                MaxRetryAttempts = RestOptions.MaxAttemptsCap - 1,
                ShouldHandle = args =>
                {
                    var call = RestCall.Of(args.Context);
                    var attemptsMade = args.AttemptNumber + 1;
                    return ValueTask.FromResult(call is not null && attemptsMade < call.Settings.MaxAttempts && IsTransient(args.Outcome));
                },
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args)),
            })
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = "rate",
                RateLimiter = args => (RestCall.Of(args.Context)?.Limiter ?? Unlimited).AcquireAsync(1, args.Context.CancellationToken),
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                Name = "attempt",
                TimeoutGenerator = args => ValueTask.FromResult(RestCall.Of(args.Context)?.Settings.AttemptTimeout ?? Timeout.InfiniteTimeSpan),
            });
    }

    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>Retry-After when the server says (capped), else base × 2^retry with ±25% jitter (capped).</summary>
    private static TimeSpan Delay(RetryDelayGeneratorArguments<HttpResponseMessage> args)
    {
        var call = RestCall.Of(args.Context);
        var baseDelay = call?.Settings.BaseDelay ?? TimeSpan.FromSeconds(1);
        var max = call?.Settings.MaxDelay ?? TimeSpan.FromSeconds(30);
        if (args.Outcome.Result?.Headers.RetryAfter is { } retryAfter)
        {
            var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.Zero);
            return Clamp(wait, max);
        }

        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, args.AttemptNumber);
        var jitter = 0.75 + (Random.Shared.NextDouble() * 0.5);
        return Clamp(TimeSpan.FromMilliseconds(exponential * jitter), max);
    }

    private static TimeSpan Clamp(TimeSpan wait, TimeSpan max) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > max ? max : wait;
}

/// <summary>
/// Innermost handler, once per attempt: counts the attempt and reads a successful answer's body inside the
/// attempt, so the per-attempt timeout covers the body and a body that breaks off is retried. The body is
/// buffered up to the source's page limit only (<see cref="PageBuffer"/>).
/// </summary>
internal sealed class RestAttemptHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(RestCall.Key, out var call);
        call?.CountAttempt();

        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            try
            {
                response.Content = await PageBuffer.ReadAsync(response.Content, call?.Settings.MaxPageBytes ?? RestOptions.DefaultMaxPageBytes, cancellationToken);
            }
            catch (IOException ex)
            {
                response.Dispose();
                throw new HttpRequestException($"the answer broke off: {ex.Message}", ex);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        return response;
    }
}

/// <summary>One token bucket per source (and rate), shared by its streams and runs; permits are evenly spaced.</summary>
internal sealed class RestRateLimits : IDisposable
{
    private readonly ConcurrentDictionary<string, (double PerSecond, RateLimiter Limiter)> _limiters = new(StringComparer.Ordinal);

    public RateLimiter For(string key, double perSecond)
    {
        var entry = _limiters.AddOrUpdate(
            key,
            _ => (perSecond, Create(perSecond)),
            (_, existing) =>
            {
                if (existing.PerSecond.Equals(perSecond))
                {
                    return existing;
                }

                return (perSecond, Create(perSecond));
            });
        return entry.Limiter;
    }

    public void Dispose()
    {
        foreach (var (_, limiter) in _limiters.Values)
        {
            limiter.Dispose();
        }

        _limiters.Clear();
    }

    private static TokenBucketRateLimiter Create(double perSecond) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = 1,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1 / perSecond),
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });
}
