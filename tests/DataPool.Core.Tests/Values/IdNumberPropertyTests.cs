using DataPool.Core.Values;
using FsCheck;
using FsCheck.Fluent;

namespace DataPool.Core.Tests.Values;

public class IdNumberPropertyTests
{
    public sealed record Person(string Address, DateOnly Birth, int Sequence)
    {
        public string Id18 => IdNumberTests.Build(Address, Birth, Sequence);

        public override string ToString() => $"{Id18} ({Address} {Birth:yyyy-MM-dd} {Sequence:D3})";
    }

    private static readonly DateOnly Earliest = new(1900, 1, 1);

    private static Gen<string> Address =>
        Gen.Choose(100000, 999999).Select(n => n.ToString("D6"));

    private static Gen<Person> PersonBornBetween(DateOnly first, DateOnly last) =>
        from address in Address
        from days in Gen.Choose(0, last.DayNumber - first.DayNumber)
        from sequence in Gen.Choose(0, 999)
        select new Person(address, first.AddDays(days), sequence);

    private static Arbitrary<Person> AnyPerson =>
        PersonBornBetween(Earliest, DateOnly.FromDateTime(DateTime.Today).AddDays(-1)).ToArbitrary();

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property A_generated_id_round_trips() =>
        Prop.ForAll(AnyPerson, p =>
            IdNumber.TryNormalise(p.Id18, out var normalised, out _)
            && normalised == p.Id18
            && IdNumber.BirthDate(normalised) == p.Birth);

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property The_check_character_matches_the_reference_computation() =>
        Prop.ForAll(AnyPerson, p => IdNumber.CheckCharacter(p.Id18.AsSpan(0, 17)) == p.Id18[17]);

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property A_dirty_rendering_normalises_to_the_clean_id() =>
        Prop.ForAll(AnyPerson, p =>
        {
            // Full-width digits, lower-case x, ideographic space between the three parts.
            var dirty = new string(p.Id18.Select(c => c == 'X' ? 'ｘ' : (char)(c + 0xFEE0)).ToArray())
                .Insert(14, "\u3000").Insert(6, " - ");
            return IdNumber.TryNormalise(dirty, out var normalised, out _) && normalised == p.Id18;
        });

    [FsCheck.NUnit.Property(MaxTest = 1000)]
    public Property Changing_any_one_character_makes_it_invalid() =>
        Prop.ForAll(
            (from p in AnyPerson.Generator
             from position in Gen.Choose(0, 17)
             from shift in Gen.Choose(1, 9)
             select (p, position, shift)).ToArbitrary(),
            t =>
            {
                var chars = t.p.Id18.ToCharArray();
                const string alphabet = "0123456789X";
                if (t.position < 17)
                {
                    chars[t.position] = (char)('0' + (chars[t.position] - '0' + t.shift) % 10);
                }
                else
                {
                    // The check position may also hold X; shift within all eleven characters.
                    chars[17] = alphabet[(alphabet.IndexOf(chars[17]) + t.shift) % 11];
                }
                return !IdNumber.TryNormalise(new string(chars), out _, out var error) && error is not null;
            });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property A_15_digit_number_converts_to_the_directly_built_18() =>
        Prop.ForAll(PersonBornBetween(Earliest, new DateOnly(1999, 12, 31)).ToArbitrary(), p =>
        {
            var old = $"{p.Address}{p.Birth:yyMMdd}{p.Sequence:D3}";
            return IdNumber.TryNormalise(old, out var normalised, out _) && normalised == p.Id18;
        });

    [FsCheck.NUnit.Property(MaxTest = 500)]
    public Property The_gender_code_matches_sequence_parity() =>
        Prop.ForAll(AnyPerson, p => IdNumber.GenderCode(p.Id18) == (p.Sequence % 2 == 1 ? "1" : "2"));

    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Every_valid_id_that_normalises_is_idempotent() =>
        Prop.ForAll(AnyPerson, p =>
            IdNumber.TryNormalise(p.Id18.ToLowerInvariant(), out var once, out _)
            && IdNumber.TryNormalise(once, out var twice, out _)
            && ReferenceEquals(once, twice));
}
