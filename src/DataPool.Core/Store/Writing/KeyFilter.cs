namespace DataPool.Core.Store.Writing;

/// <summary>
/// The 64-bit hashes of keys a run wrote, as a Bloom filter: two bits a key in 4 MB, made at the first key. It answers
/// "certainly not written" or "maybe": a maybe for a key never written (0.3% of keys after a million, 7% after five
/// million) only costs the lookup every key paid without the filter.
/// </summary>
internal sealed class KeyFilter
{
    private const int Bits = 25;
    private ulong[]? _words;

    public void Add(long hash)
    {
        var words = _words ??= new ulong[(1 << Bits) / 64];
        var (low, high) = Positions(hash);
        words[low >> 6] |= 1UL << (low & 63);
        words[high >> 6] |= 1UL << (high & 63);
    }

    public bool MayContain(long hash)
    {
        if (_words is not { } words)
        {
            return false;
        }

        var (low, high) = Positions(hash);
        return (words[low >> 6] & (1UL << (low & 63))) != 0 && (words[high >> 6] & (1UL << (high & 63))) != 0;
    }

    /// <summary>Two independent bit positions out of the hash's 64 bits (its low and its high bits).</summary>
    private static (int Low, int High) Positions(long hash) =>
        ((int)((ulong)hash & ((1UL << Bits) - 1)), (int)((ulong)hash >> (64 - Bits)));
}
