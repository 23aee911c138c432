namespace DataPool.Server.Verification;

/// <summary>
/// The budgets that keep yes/no questions and serial checks from sweeping the pool, bound from <c>DataPool:Verify</c>
/// (environment <c>DataPool__Verify__…</c>), each at least 1.
/// </summary>
public sealed class VerifyOptions
{
    public const string Section = "DataPool:Verify";

    /// <summary>Verification questions one user may ask a minute.</summary>
    public int PerUserPerMinute { get; set; } = 60;

    /// <summary>Certificate serial checks one client address may make a minute (the check is open to anyone).</summary>
    public int SerialChecksPerMinute { get; set; } = 30;
}
