using DataPool.Core.Values;

namespace DataPool.Core.Tests.Values;

/// <summary>Control and bidi characters never survive cleaning; the whitespace controls become a space as before.</summary>
public class ControlCharacterTests
{
    [Test]
    public void Every_C0_control_other_than_whitespace_is_dropped_and_whitespace_ones_become_a_space()
    {
        for (var c = '\u0000'; c < '\u0020'; c++)
        {
            var cleaned = Text.Clean($"张{c}三");
            Assert.That(cleaned, Is.EqualTo(char.IsWhiteSpace(c) ? "张 三" : "张三"), $"U+{(int)c:X4}");
        }
    }

    [TestCase("\u202E三张")]
    [TestCase("\u202A\u202B\u202C\u202D三张")]
    [TestCase("\u2066三张\u2069")]
    [TestCase("\u2067\u2068三\u200E\u200F\u061C张")]
    [TestCase("\u007F三\u0080\u009F张")]
    [TestCase("\u0000三张")]
    public void Bidi_controls_DEL_and_C1_controls_are_dropped(string raw)
    {
        Assert.That(Text.Clean(raw), Is.EqualTo("三张"));
        Assert.That(ControlCharacters.Contains(raw), Is.True);
    }

    [Test]
    public void Plain_ASCII_with_a_NUL_is_not_taken_for_clean_text() =>
        Assert.That(Text.Clean("abc\u0000"), Is.EqualTo("abc"));

    [Test]
    public void Describe_names_each_character_once_as_a_code_point() =>
        Assert.That(ControlCharacters.Describe("a\u202Eb\u202Ec\u0000"), Is.EqualTo("U+202E, U+0000"));
}
