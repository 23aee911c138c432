using System.Text.Json;
using DataPool.Abstractions;

namespace DataPool.Connectors.Rest.Tests;

public sealed class UnitTests
{
    [TestCase("$", "{\"a\":1}", "{\"a\":1}")]
    [TestCase("$.data", "{\"data\":[1]}", "[1]")]
    [TestCase("$.result.items", "{\"result\":{\"items\":[2]}}", "[2]")]
    [TestCase("$['a b'][1]", "{\"a b\":[0,5]}", "5")]
    public void Json_paths_name_one_value(string path, string json, string expected)
    {
        using var document = JsonDocument.Parse(json);
        Assert.That(JsonRecordPath.Parse(path, "p").TryEvaluate(document.RootElement, out var value), Is.True);
        Assert.That(value.GetRawText(), Is.EqualTo(expected));
    }

    [TestCase("data")]
    [TestCase("$..data")]
    [TestCase("$.data[*]")]
    [TestCase("$.data[")]
    public void Unsupported_json_paths_are_refused(string path) =>
        Assert.That(() => JsonRecordPath.Parse(path, "settings.recordsPath"), Throws.TypeOf<ConnectorException>().With.Message.StartWith("settings.recordsPath: "));

    [TestCase("<https://a/x?page=2>; rel=\"next\"", "https://a/x?page=2")]
    [TestCase("<https://a/x?page=1>; rel=\"prev\", <https://a/x?page=3>; rel=\"next\"", "https://a/x?page=3")]
    [TestCase("<https://a/x?page=9>; rel=\"last\"", null)]
    [TestCase("</x?page=2>; title=\"a;b\"; rel=next", "/x?page=2")]
    public void Link_headers(string header, string? next) => Assert.That(RestPager.NextFromLinkHeader(header), Is.EqualTo(next));

    [Test]
    public void The_header_grows_and_keeps_mapped_columns()
    {
        var flattener = new RecordFlattener(["id", "missing"]);
        using var a = JsonDocument.Parse("{\"id\":\"1\",\"n\":{\"x\":2,\"y\":null},\"t\":[1,\"是\"],\"b\":true}");
        var values = flattener.Flatten(a.RootElement);
        Assert.That(flattener.Header.Columns, Is.EqualTo(new[] { "id", "missing", "n.x", "n.y", "t", "b" }));
        Assert.That(values, Is.EqualTo(new string?[] { "1", null, "2", null, "[1,\"是\"]", "true" }));
    }
}
