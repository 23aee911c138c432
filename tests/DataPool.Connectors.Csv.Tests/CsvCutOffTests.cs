namespace DataPool.Connectors.Csv.Tests;

/// <summary>
/// A transfer that stopped mid-record leaves a last line with missing fields or a quote left open: the row says
/// so (<c>CutOff</c>), so a full sync deletes nothing on the strength of a cut-off file.
/// </summary>
public sealed class CsvCutOffTests : CsvTestBase
{
    [TestCase("a,b,c\n1,2,3\n4,5")]
    [TestCase("a,b,c\r\n1,2,3\r\n4")]
    [TestCase("a,b,c\n1,2,3\n4,5,\"unclo")]
    [TestCase("a,b,c\n1,2,3\n4,\"x,y")]
    public async Task A_last_line_cut_mid_record_is_marked_cut_off(string text)
    {
        WriteFile("persons.csv", text, Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv" }""");

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0].CutOff, Is.False);
        Assert.That(rows[1].CutOff, Is.True);
        Assert.That(rows[1].Problem, Does.Contain("line 3 ends mid-record at the end of the file"));
    }

    [TestCase("a,b,c\n1,2,3\n4,5,6")]
    [TestCase("a,b,c\n1,2,3\n4,5,\"6\"")]
    [TestCase("a,b,c\n1,2,3\n4,5\n")]
    [TestCase("a,b,c\n1,\"x\ny\",3\n4,5,6\n")]
    public async Task A_complete_last_line_or_a_ragged_line_ending_in_a_newline_is_not_cut_off(string text)
    {
        WriteFile("persons.csv", text, Utf8NoBom);

        var rows = await ReadAllAsync("""{ "path": "persons.csv" }""");

        Assert.That(rows.Select(r => r.CutOff), Is.All.False);
    }
}
