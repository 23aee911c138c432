using System.Text.Json;
using System.Text.RegularExpressions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>Every text the page asks for exists in Chinese and in English, and the two files name the same texts.</summary>
public sealed partial class TranslationFilesTests
{
    private static readonly string Root = Path.Combine(TestContext.CurrentContext.TestDirectory, "wwwroot");

    [GeneratedRegex(@"\bt\('([\w.-]+)'")]
    private static partial Regex TextKey();

    /// <summary>The language's shared file and every console page's own file (i18n/{lang}/*.json), as the page loads them.</summary>
    private static Dictionary<string, string> Texts(string lang)
    {
        var files = Directory.EnumerateFiles(Path.Combine(Root, "i18n", lang), "*.json").Order(StringComparer.Ordinal).Prepend(Path.Combine(Root, "i18n", lang + ".json"));
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file))!)
            {
                texts[key] = value;
            }
        }

        return texts;
    }

    [Test]
    public void Chinese_and_english_hold_the_same_texts_and_none_is_empty()
    {
        var zh = Texts("zh");
        var en = Texts("en");
        Assert.Multiple(() =>
        {
            Assert.That(zh.Keys.Order(), Is.EqualTo(en.Keys.Order()));
            Assert.That(zh.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key), Is.Empty);
            Assert.That(en.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => p.Key), Is.Empty);
            Assert.That(zh["login.title"], Is.EqualTo("登录"));
            Assert.That(en["login.title"], Is.EqualTo("Sign in"));
        });
    }

    [Test]
    public void Every_text_the_scripts_ask_for_is_in_the_files()
    {
        var zh = Texts("zh");
        var asked = Directory.EnumerateFiles(Root, "*.js", SearchOption.AllDirectories)
            .SelectMany(f => TextKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.That(asked, Has.Count.GreaterThan(40));
        Assert.That(asked.Where(k => !zh.ContainsKey(k)), Is.Empty);
    }
}
