namespace DataPool.Demo.Simulator;

/// <summary>
/// Faults the legacy-system simulator injects after the Authorization check: a fraction of errors, a fraction of
/// 429s with Retry-After, added latency, or the first N requests failing (deterministic, for tests).
/// </summary>
public sealed record SimulatorFaults
{
    /// <summary>No faults: every request answered at once.</summary>
    public static SimulatorFaults None { get; } = new();

    /// <summary>Fraction (0–1) of requests answered with <see cref="ErrorStatus"/>.</summary>
    public double ErrorRate { get; init; }

    /// <summary>The status of injected errors (500, 502, 503, …).</summary>
    public int ErrorStatus { get; init; } = 500;

    /// <summary>Fraction (0–1) of requests answered 429 with a Retry-After header.</summary>
    public double TooManyRate { get; init; }

    /// <summary>Seconds in the Retry-After header of a 429.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Added before every answer (also before errors).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>The first N requests that pass the Authorization check fail with <see cref="ErrorStatus"/>.</summary>
    public int FailFirst { get; init; }

    /// <summary>The first N requests that pass the Authorization check (after <see cref="FailFirst"/>) are answered 429.</summary>
    public int ThrottleFirst { get; init; }

    /// <summary>Seed of the random draws of <see cref="ErrorRate"/> and <see cref="TooManyRate"/>.</summary>
    public int Seed { get; init; } = 20190101;
}
