using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Matching;

namespace DataPool.Server.Tests.Matching;

/// <summary><c>POST /api/matches/evaluate</c>: a truth CSV judged against the pool for admins only; hostile files refused with a reason.</summary>
public sealed class MatchEvaluationEndpointTests
{
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await ServerHost.StartAsync(StoreOptions.Sqlite);

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [Test]
    public async Task An_admin_gets_precision_recall_and_F1_overall_and_by_threshold_and_others_are_refused()
    {
        var admin = await _server.ClientAsync(Roles.Admin);
        using var response = await admin.PostAsync("/api/matches/evaluate", Csv("source_id,source_key,entity\nhukou,1,a\nledger,L1,a\nledger,L2,b\n"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var summary = (await response.Content.ReadFromJsonAsync<JsonElement>());
        Assert.That(summary.GetProperty("records").GetInt32(), Is.EqualTo(3));
        Assert.That(summary.GetProperty("notInPool").GetInt32(), Is.EqualTo(3), "no source record has these keys");
        Assert.That(summary.GetProperty("pool").GetProperty("actual").GetInt64(), Is.EqualTo(1), "one true pair");
        Assert.That(summary.GetProperty("pool").GetProperty("recall").GetDouble(), Is.EqualTo(0));
        Assert.That(summary.GetProperty("byThreshold").GetArrayLength(), Is.EqualTo(21));
        Assert.That(summary.GetProperty("byThreshold")[0].GetProperty("counts").TryGetProperty("f1", out _), Is.True);

        using var worker = await (await _server.ClientAsync(Roles.Worker)).PostAsync("/api/matches/evaluate", Csv("source_id,source_key,entity\n"));
        Assert.That(worker.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase("name,entity\na,b\n", "missing: source_id, source_key")]
    [TestCase("", "empty")]
    [TestCase("source_id,source_key,entity\n,,\n", "1 to 256 characters")]
    [TestCase("source_id,source_key,entity\n", "no rows")]
    public async Task A_file_that_is_not_a_truth_file_is_refused_with_the_reason(string text, string reason)
    {
        var admin = await _server.ClientAsync(Roles.Admin);
        using var response = await admin.PostAsync("/api/matches/evaluate", Csv(text));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(reason));
    }

    [Test]
    public async Task A_truth_file_over_the_limit_is_refused_before_it_is_read()
    {
        var admin = await _server.ClientAsync(Roles.Admin);
        var big = new byte[MatchEvaluationEndpoints.MaxTruthBytes + 1];
        big.AsSpan().Fill((byte)'a');

        try
        {
            using var response = await admin.PostAsync("/api/matches/evaluate", new ByteArrayContent(big));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // Kestrel answered 413 on the declared length and closed the connection while the client was still sending.
        }

        using var after = await admin.PostAsync("/api/matches/evaluate", Csv("source_id,source_key,entity\nhukou,1,a\n"));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the server goes on answering");
    }
}
