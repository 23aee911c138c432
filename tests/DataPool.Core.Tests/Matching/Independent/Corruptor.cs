using System.Globalization;

namespace DataPool.Core.Tests.Matching.Independent;

/// <summary>
/// The corruption model of the independent world: each ledger record of a person gets one kind of damage
/// (sometimes a second), and is written the way a community clerk writes (dates in any of the usual forms,
/// gender sometimes left out). Kinds: name typos from the keyboard or a pinyin input method's homophones,
/// dropped characters, transposed and missing name parts; missing, impossible, off-by-one and day/month
/// swapped birth dates; address variants; changed phones.
/// </summary>
public sealed class Corruptor(Random random)
{
    public static readonly string[] Kinds =
    [
        "clean", "name_keyboard_typo", "name_homophone", "name_dropped_char", "name_parts_swapped", "name_part_missing",
        "date_missing", "date_impossible", "date_off_by_one", "date_day_month_swapped", "address_variant", "phone_changed",
    ];

    private const string Qwerty = "qwertyuiop|asdfghjkl|zxcvbnm";

    public WorldRow Corrupt(WorldPerson person, string key)
    {
        var kinds = new List<string> { Kinds[random.Next(Kinds.Length)] };
        if (kinds[0] != "clean" && random.NextDouble() < 0.3)
        {
            var second = Kinds[random.Next(1, Kinds.Length)];
            if (Family(second) != Family(kinds[0]))
            {
                kinds.Add(second);
            }
        }

        var parts = (string[])person.NameParts.Clone();
        var birth = Date(person.Birth);
        var address = random.NextDouble() < 0.3 ? AddressText.Variant(person.Address, random) : AddressText.Render(person.Address);
        var phone = person.Phone ?? "";
        foreach (var kind in kinds)
        {
            switch (kind)
            {
                case "name_keyboard_typo": KeyboardTypo(person.Script, parts); break;
                case "name_homophone": Homophone(person.Script, parts); break;
                case "name_dropped_char": DropCharacter(person.Script, parts); break;
                case "name_parts_swapped": SwapParts(person.Script, parts); break;
                case "name_part_missing": parts = MissingPart(person.Script, parts); break;
                case "date_missing": birth = ""; break;
                case "date_impossible": birth = Impossible(person.Birth); break;
                case "date_off_by_one": birth = Date(OffByOne(person.Birth)); break;
                case "date_day_month_swapped": birth = Swapped(person.Birth); break;
                case "address_variant": address = AddressText.Variant(person.Address, random); break;
                case "phone_changed": phone = ChangedPhone(phone); break;
            }
        }

        var gender = random.NextDouble() < 0.1 ? "" : person.Gender;
        return new WorldRow(IndependentWorld.Ledger, key, person.Entity, NameText.Render(person.Script, parts), gender, birth, address, phone, person.Community, kinds);
    }

    private static string Family(string kind) => kind.Split('_')[0];

    private string Date(DateOnly date) => random.Next(4) switch
    {
        0 => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        1 => date.ToString("yyyy/M/d", CultureInfo.InvariantCulture),
        2 => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
        _ => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture),
    };

    /// <summary>A slip on the keyboard: a pinyin letter replaced by a neighbouring key, or for characters the wrong candidate picked.</summary>
    private void KeyboardTypo(Script script, string[] parts)
    {
        var at = script == Script.Han ? 1 : random.Next(parts.Length);
        var part = parts[at];
        var i = random.Next(part.Length);
        char replacement;
        if (script == Script.Pinyin)
        {
            var row = Qwerty.Split('|').First(r => r.Contains(char.ToLowerInvariant(part[i]), StringComparison.Ordinal));
            var k = row.IndexOf(char.ToLowerInvariant(part[i]), StringComparison.Ordinal);
            replacement = row[k == 0 ? 1 : k == row.Length - 1 ? k - 1 : k + (random.Next(2) * 2) - 1];
        }
        else
        {
            var group = NamePool.Given[random.Next(NamePool.Given.Length)].Characters;
            replacement = group[random.Next(group.Length)];
        }

        parts[at] = part[..i] + replacement + part[(i + 1)..];
    }

    /// <summary>What a pinyin input method offers for the same syllable: 张伟明 typed as 张玮明.</summary>
    private void Homophone(Script script, string[] parts)
    {
        var given = parts[^1];
        var candidates = Enumerable.Range(0, given.Length).Where(i => NamePool.Homophones(given[i]).Length > 0).ToList();
        if (script != Script.Han || candidates.Count == 0)
        {
            KeyboardTypo(script, parts);
            return;
        }

        var at = candidates[random.Next(candidates.Count)];
        var others = NamePool.Homophones(given[at]);
        parts[^1] = given[..at] + others[random.Next(others.Length)] + given[(at + 1)..];
    }

    private void DropCharacter(Script script, string[] parts)
    {
        var at = script == Script.Han ? parts.Length - 1 : random.Next(parts.Length);
        if (parts[at].Length < 2)
        {
            KeyboardTypo(script, parts);
            return;
        }

        var i = random.Next(parts[at].Length);
        parts[at] = parts[at].Remove(i, 1);
    }

    /// <summary>Pinyin and minority names written in the other order; a Han given name with its two characters transposed.</summary>
    private void SwapParts(Script script, string[] parts)
    {
        if (script != Script.Han)
        {
            (parts[0], parts[1]) = (parts[1], parts[0]);
        }
        else if (parts[1].Length == 2)
        {
            parts[1] = new string([parts[1][1], parts[1][0]]);
        }
        else
        {
            KeyboardTypo(script, parts);
        }
    }

    /// <summary>One part left out: a minority name's second part, a pinyin surname, a Han compound surname's or a two-character given name's first character.</summary>
    private string[] MissingPart(Script script, string[] parts)
    {
        if (script != Script.Han)
        {
            return script == Script.Minority ? [parts[0]] : ["", parts[1]];
        }

        if (parts[0].Length == 2)
        {
            return [parts[0][..1], parts[1]];
        }

        if (parts[1].Length == 2)
        {
            return [parts[0], parts[1][1..]];
        }

        KeyboardTypo(script, parts);
        return parts;
    }

    /// <summary>A date no calendar has, in the compact form legacy systems write it (19450493).</summary>
    private string Impossible(DateOnly date) => random.Next(3) switch
    {
        0 => $"{date.Year}{date.Month:00}{90 + (date.Day % 10)}",
        1 => $"{date.Year}{date.Month + 12:00}{date.Day:00}",
        _ => $"{date.Year}-02-3{random.Next(0, 2)}",
    };

    /// <summary>Day ±1, year ±1, or one digit of the yyyyMMdd form one higher or lower (kept a real date).</summary>
    private DateOnly OffByOne(DateOnly date)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var text = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture).ToCharArray();
            switch (random.Next(3))
            {
                case 0: return date.AddDays(random.Next(2) * 2 - 1);
                case 1: return date.AddYears(random.Next(2) * 2 - 1);
                default:
                    var i = random.Next(2, 8);
                    text[i] = (char)(text[i] + (text[i] == '9' ? -1 : text[i] == '0' ? 1 : random.Next(2) * 2 - 1));
                    if (DateOnly.TryParseExact(new string(text), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var changed) && changed != date)
                    {
                        return changed;
                    }

                    break;
            }
        }

        return date.AddDays(1);
    }

    private string Swapped(DateOnly date) =>
        date.Day <= 12 && date.Day != date.Month ? $"{date.Year}-{date.Day:00}-{date.Month:00}" : Date(OffByOne(date));

    /// <summary>A new number, none at all, or one digit mistyped.</summary>
    private string ChangedPhone(string phone) => random.Next(3) switch
    {
        0 => IndependentWorld.Phone(random),
        1 => "",
        _ when phone.Length == 11 => Mistyped(phone, random.Next(3, 11)),
        _ => IndependentWorld.Phone(random),
    };

    private static string Mistyped(string phone, int i) => phone[..i] + (char)('0' + ((phone[i] - '0' + 1) % 10)) + phone[(i + 1)..];
}
