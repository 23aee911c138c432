namespace DataPool.Core.Identity;

/// <summary>
/// Counts, in this process, the changes that end a credential's validity: a key revoked, a user disabled. The cache of
/// authenticated API keys (<see cref="ApiKeys"/>) drops everything it holds when the count moves, so such a change
/// takes effect on the very next request here; a change made by another process (the command line, another node)
/// takes effect when the cached entry expires.
/// </summary>
public sealed class CredentialChanges
{
    private long _count;

    /// <summary>How many changes there have been; an entry cached under an older count is not used.</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Changed() => Interlocked.Increment(ref _count);
}
