using DataPool.Core.Schema;

namespace DataPool.Core.Access;

/// <summary>
/// How a sensitive value looks to someone not granted it unmasked: the one masking rule of the pool (queries, exports,
/// explain, history, the change feed, reports). A masked value must reveal nothing the viewer could not know already:
/// <list type="bullet">
/// <item>An ID number (a field of format <c>id_number</c>, 18 characters) keeps its region, the first 6 characters,
/// and its check character, the last: <c>110101***********X</c>. The birth date (characters 7–14) and the sequence
/// (15–17, whose parity is the gender) are hidden, so the number cannot be rebuilt from a granted birth date and
/// gender.</item>
/// <item>Every other sensitive value (amounts, codes, dates, certificate numbers, free text) is hidden whole as
/// <see cref="Hidden"/>, a fixed width, so that not even its length tells anything (a certificate number is often an
/// ID number with digits appended).</item>
/// </list>
/// </summary>
public static class Masking
{
    /// <summary>What a masked value other than an ID number shows.</summary>
    public const string Hidden = "****";

    /// <summary>Characters of an ID number shown at its start: the region (province, city, district).</summary>
    public const int Region = 6;

    private const int IdLength = 18;
    private const string IdNumberFormat = "id_number";

    /// <summary>The value of <paramref name="field"/> as shown masked.</summary>
    public static string Mask(PoolField field, string value) =>
        field.Format == IdNumberFormat ? MaskIdNumber(value) : Hidden;

    /// <summary>An ID number masked to region and check character; anything not shaped like one is hidden whole.</summary>
    public static string MaskIdNumber(string value) =>
        value.Length == IdLength
            ? string.Concat(value.AsSpan(0, Region), new string('*', IdLength - Region - 1), value.AsSpan(IdLength - 1))
            : Hidden;
}
