using DataPool.Core.Values;

namespace DataPool.Core.Tests.Values;

public class PhoneTests
{
    [TestCase("13800138000", "13800138000")]
    [TestCase("138 0013 8000", "13800138000")]
    [TestCase("138-0013-8000", "13800138000")]
    [TestCase("１３８００１３８０００", "13800138000")]
    [TestCase("+86 138 0013 8000", "13800138000")]
    [TestCase("+8613800138000", "13800138000")]
    [TestCase("(+86)13800138000", "13800138000")]
    [TestCase("0086 13800138000", "13800138000")]
    [TestCase("8613800138000", "13800138000")]
    [TestCase("19912345678", "19912345678")]
    [TestCase("010-12345678", "010-12345678")]
    [TestCase("01012345678", "010-12345678")]
    [TestCase("(010)12345678", "010-12345678")]
    [TestCase("（010）1234 5678", "010-12345678")]
    [TestCase("010 1234 5678", "010-12345678")]
    [TestCase("+86 10 12345678", "010-12345678")]
    [TestCase("0086-10-12345678", "010-12345678")]
    [TestCase("021-87654321", "021-87654321")]
    [TestCase("0755-1234567", "0755-1234567")]
    [TestCase("0755-12345678", "0755-12345678")]
    [TestCase("12345678", "12345678")]
    [TestCase("8765432", "8765432")]
    [TestCase("1234567", "1234567")]
    [TestCase("0212345678", "021-2345678")]
    [TestCase("  6512 3456  ", "65123456")]
    [TestCase("\u300065123456\u3000", "65123456")]
    public void Phones_normalise(string raw, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Phone.TryNormalise(raw, out var normalised, out var error), Is.True, error);
            Assert.That(normalised, Is.EqualTo(expected));
        });
    }

    [Test]
    public void A_clean_mobile_is_returned_as_the_same_instance()
    {
        const string mobile = "13800138000";
        Assert.That(Phone.TryNormalise(mobile, out var normalised, out _) && ReferenceEquals(normalised, mobile), Is.True);
    }

    [TestCase("12800138000", "'12800138000' is not a mobile (11 digits) or landline number")]
    [TestCase("1380013800", "'1380013800' is not a mobile (11 digits) or landline number")]
    [TestCase("138001380001", "'138001380001' is not a mobile (11 digits) or landline number")]
    [TestCase("123456", "'123456' is not a mobile (11 digits) or landline number")]
    [TestCase("01234567", "'01234567' is not a mobile (11 digits) or landline number")]
    [TestCase("011-12345678", "'011-12345678' is not a mobile (11 digits) or landline number")]
    [TestCase("010-01234567", "'010-01234567' is not a mobile (11 digits) or landline number")]
    [TestCase("00-12345678", "'00-12345678' is not a mobile (11 digits) or landline number")]
    [TestCase("010-123456", "'010-123456' is not a mobile (11 digits) or landline number")]
    [TestCase("010-123456789", "'010-123456789' is not a mobile (11 digits) or landline number")]
    [TestCase("+1 555 123 4567", "'+1 555 123 4567' is not a mainland China number")]
    [TestCase("138-0013-800a", "'138-0013-800a' contains 'a', which is not part of a phone number")]
    [TestCase("13800138000/13900139000", "'13800138000/13900139000' contains '/', which is not part of a phone number")]
    [TestCase("123456789012345678901", "'123456789012345678901' has too many digits for a phone number")]
    [TestCase("", "phone number is empty")]
    [TestCase(null, "phone number is empty")]
    public void Bad_phones_say_why(string? raw, string expectedError)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Phone.TryNormalise(raw, out var normalised, out var error), Is.False);
            Assert.That(error, Is.EqualTo(expectedError));
            Assert.That(normalised, Is.Null);
        });
    }
}
