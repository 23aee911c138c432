using System.Text;
using DataPool.Core.Values;

namespace DataPool.Core.Tests.Values;

public class TextTests
{
    [TestCase("张三", "张三")]
    [TestCase("  张三  ", "张三")]
    [TestCase("\u3000张三\u3000", "张三")]
    [TestCase("\u00A0张三\u00A0", "张三")]
    [TestCase("张\u3000\u3000三", "张 三")]
    [TestCase("朝阳区  \t 建国路\r\n88号", "朝阳区 建国路 88号")]
    [TestCase("ＡＢＣ１２３", "ABC123")]
    [TestCase("（北京）", "(北京)")]
    [TestCase("１号楼－２单元", "1号楼-2单元")]
    [TestCase("\uFEFF张三", "张三")]
    [TestCase("张\u200B三", "张三")]
    [TestCase("㈱", "(株)")]
    [TestCase("①号", "1号")]
    [TestCase("ｶﾀｶﾅ", "カタカナ")]
    [TestCase("Cafe\u0301", "Café")]
    [TestCase("a  b", "a b")]
    [TestCase(" a", "a")]
    [TestCase("a ", "a")]
    [TestCase("a\tb", "a b")]
    public void Cleans(string raw, string expected)
    {
        Assert.That(Text.Clean(raw), Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\u3000\u00A0\t\r\n")]
    [TestCase("\uFEFF")]
    public void Nothing_left_is_null(string? raw)
    {
        Assert.That(Text.Clean(raw), Is.Null);
    }

    [TestCase("Zhang San")]
    [TestCase("110101")]
    [TestCase("张三")]
    [TestCase("北京市 朝阳区")]
    public void Clean_text_is_returned_as_the_same_instance(string raw)
    {
        Assert.That(Text.Clean(raw), Is.SameAs(raw));
    }

    [TestCase("Ｈｅｌｌｏ\u3000Ｗｏｒｌｄ")]
    [TestCase("x\u2028y")]
    [TestCase("ﬁle ㍿ ½")]
    [TestCase("１２３ 张三 Ⅻ")]
    public void The_result_is_in_NFKC(string raw)
    {
        var cleaned = Text.Clean(raw)!;
        Assert.Multiple(() =>
        {
            Assert.That(cleaned.IsNormalized(NormalizationForm.FormKC), Is.True);
            Assert.That(cleaned, Is.EqualTo(Collapse(raw.Normalize(NormalizationForm.FormKC))));
        });
    }

    private static string Collapse(string s) =>
        string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
