namespace DataPool.Core.Access;

/// <summary>How a sensitive value looks to someone not granted it unmasked.</summary>
public static class Masking
{
    /// <summary>
    /// Keeps the first 6 and last 4 characters of a long value (<c>110101********1234</c>: the district and the
    /// tail, enough to tell two residents apart on a list, not enough to use the number); a short value (a code,
    /// an amount, a date) says nothing safely, so it is hidden whole. The length is kept: it is no secret.
    /// </summary>
    public static string Mask(string value)
    {
        const int head = 6, tail = 4;
        if (value.Length <= head + tail)
        {
            return new string('*', value.Length);
        }

        return string.Concat(value.AsSpan(0, head), new string('*', value.Length - head - tail), value.AsSpan(value.Length - tail));
    }
}
