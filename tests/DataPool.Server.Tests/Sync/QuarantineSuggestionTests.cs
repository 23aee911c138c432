using System.Net.Http.Json;
using System.Text;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;
using static DataPool.Server.Tests.Sources.ApiSources;
using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.Sync;

/// <summary>
/// <c>GET /api/quarantine/{id}</c> suggests the fixes a row's own data implies: the birth date its ID number states, a
/// 15-digit ID number in its 18-character form, a 17-digit one with its check character, a code where a label was written.
/// </summary>
public sealed class QuarantineSuggestionTests
{
    private const string Source = "suggest";
    private static readonly string BornIn1980 = IdNumberOf("19800101", 11);
    private static readonly string Born1965 = IdNumberOf("19650315", 21);

    /// <summary>The 15-digit form of <see cref="Born1965"/>: no century, no check character.</summary>
    private static readonly string Legacy15 = Born1965[..6] + Born1965[8..17];

    private ServerHost _server = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHost.StartAsync(StoreOptions.Sqlite);
        _admin = await _server.ClientAsync(Roles.Admin);
        File.WriteAllText(Path.Combine(Root(_server), "suggest.csv"), string.Join("\n",
            "身份证号,姓名,性别,出生日期,民族",
            $"{BornIn1980},周明,男,1980-01-02,01",        // the birth date disagrees with the ID number
            $"{Legacy15},吴刚,男,1965-03-15,汉族人",        // a label with more around it where the code 01 was expected; a 15-digit ID
            $"{BornIn1980[..17]}1,郑伟,男,1980-01-01,01",    // 17 digits and a stray character: not completed, the check is wrong
            $"{IdNumberOf("19720506", 31)[..17]},孙强,男,1972-05-06,99") + "\n", Encoding.UTF8);
        await AddAsync(_admin, $$"""
            { "id": "{{Source}}", "name": "suggest", "department": "public-security", "kind": "csv", "settings": { "path": "suggest.csv" },
              "streams": [{ "name": "persons", "entity": "person", "key": ["姓名"], "fields": {
                "id_number": { "from": "身份证号" }, "name": { "from": "姓名" }, "gender": { "from": "性别" },
                "birth_date": { "from": "出生日期" }, "ethnicity": { "from": "民族" } } }] }
            """);
        Assert.That((await _server.Services.GetRequiredService<SyncRunner>().RunAsync(Source)).Counts.Quarantined, Is.EqualTo(4));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task The_birth_date_the_ID_number_states_is_suggested()
    {
        var suggestion = (await SuggestionsAsync("周明")).Single();

        Assert.That(suggestion, Is.EqualTo(new QuarantineSuggestion("出生日期", "birth_date", "1980-01-02", "1980-01-01", QuarantineSuggestions.BirthDateFromId, BornIn1980)));
    }

    [Test]
    public async Task A_15_digit_ID_number_is_upgraded_and_a_label_becomes_its_code()
    {
        var suggestions = await SuggestionsAsync("吴刚");

        Assert.That(suggestions, Is.EquivalentTo(new[]
        {
            new QuarantineSuggestion("身份证号", "id_number", Legacy15, Born1965, QuarantineSuggestions.IdUpgrade),
            new QuarantineSuggestion("民族", "ethnicity", "汉族人", "01", QuarantineSuggestions.CodeFromLabel, "01 汉族"),
        }));
    }

    [Test]
    public async Task Seventeen_digits_get_their_check_character_and_an_unknown_code_without_a_near_label_gets_nothing()
    {
        var completed = (await SuggestionsAsync("孙强")).Single();

        Assert.That((completed.Field, completed.Value, completed.Kind), Is.EqualTo(("id_number", IdNumberOf("19720506", 31), QuarantineSuggestions.IdCheckCharacter)));
        Assert.That(await SuggestionsAsync("郑伟"), Is.Empty, "a wrong check character says nothing about which digit is wrong");
    }

    [Test]
    public async Task Accepting_the_suggestions_replays_the_row_into_the_pool()
    {
        var row = await RowAsync("吴刚");
        var fixes = row.Suggestions!.ToDictionary(s => s.Column, s => (string?)s.Value);

        using var response = await _admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/replay", new DataPool.Server.Sync.ReplayRequest(fixes));

        var outcome = (await response.Content.ReadFromJsonAsync<DataPool.Server.Sync.ReplayOutcome>())!;
        Assert.That(outcome.Accepted, Is.True, string.Join("; ", outcome.Reasons));
        Assert.That(outcome.Row.Attempts!.Single().Row["民族"], Is.EqualTo("01"));
    }

    private async Task<IReadOnlyList<QuarantineSuggestion>> SuggestionsAsync(string name) => (await RowAsync(name)).Suggestions!;

    private async Task<QuarantinedRow> RowAsync(string name)
    {
        var page = (await _admin.GetFromJsonAsync<QuarantinePage>($"/api/quarantine?source={Source}"))!;
        var id = page.Items.Single(r => r.Raw["姓名"] == name).Id;
        return (await _admin.GetFromJsonAsync<QuarantinedRow>($"/api/quarantine/{id}"))!;
    }
}
