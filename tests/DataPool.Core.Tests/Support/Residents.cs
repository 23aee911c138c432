using System.Globalization;
using DataPool.Core.Values;

namespace DataPool.Core.Tests.Support;

/// <summary>Valid resident ID numbers for tests, built from a birth date and a sequence number.</summary>
public static class Residents
{
    public static string Id(string birth, int sequence, string area = "110101")
    {
        var first17 = area + birth + sequence.ToString("000", CultureInfo.InvariantCulture);
        return first17 + IdNumber.CheckCharacter(first17);
    }

    /// <summary>An odd sequence number is a man, an even one a woman (GB 11643).</summary>
    public static string Gender(int sequence) => sequence % 2 == 1 ? "男" : "女";
}
