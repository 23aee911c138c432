using DataPool.Core.Values;

namespace DataPool.Benchmarks;

/// <summary>
/// Distinct valid resident ID numbers for generated sources: <c>i</c> maps one-to-one onto (address code, birth
/// date, sequence), and the check character is the pool's own (<see cref="IdNumber.CheckCharacter"/>), so no
/// row is quarantined for its key.
/// </summary>
internal static class IdNumbers
{
    private const int Days = 18_250; // 1950-01-01 + 0..18249 days: birth dates up to 1999
    private static readonly DateOnly FirstBirthDate = new(1950, 1, 1);

    /// <summary>The <paramref name="i"/>-th ID number under <paramref name="addressCodes"/> (6 digits each).</summary>
    public static string Make(long i, IReadOnlyList<string> addressCodes)
    {
        var sequence = i % 1000;
        var block = i / 1000;
        var day = (int)(block % Days * 7919 % Days); // 7919 is prime to 18250: a permutation spreads the dates
        var address = addressCodes[(int)(block / Days % addressCodes.Count)];
        Span<char> id = stackalloc char[18];
        address.AsSpan().CopyTo(id);
        FirstBirthDate.AddDays(day).TryFormat(id[6..], out _, "yyyyMMdd");
        sequence.TryFormat(id[14..], out _, "D3");
        id[17] = IdNumber.CheckCharacter(id[..17]);
        return new string(id);
    }
}
