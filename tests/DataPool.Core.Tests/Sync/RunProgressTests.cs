using DataPool.Abstractions;
using DataPool.Core.Sync;

namespace DataPool.Core.Tests.Sync;

/// <summary>What a running sync reports: a percentage and an ETA only where the total is known, over every stream of the run.</summary>
public sealed class RunProgressTests
{
    private static RunProgress Of(int index, int count, long rows, double seconds, ReadProgress read) =>
        RunProgress.Of("persons", index, count, rows, rows, TimeSpan.FromSeconds(seconds), read);

    [Test]
    public void Bytes_read_of_a_file_give_the_percentage_and_the_time_left_at_the_pace_so_far()
    {
        var read = new ReadProgress();
        read.SetTotal(1000, ProgressUnit.Bytes);
        read.ReportPosition(250);

        var progress = Of(1, 1, 5000, 10, read);

        Assert.That((progress.Percent, progress.EtaSeconds, progress.RowsPerSecond, progress.Unit), Is.EqualTo((25.0, 30.0, 500.0, "bytes")));
    }

    [Test]
    public void A_row_total_is_counted_against_the_rows_delivered_and_finished_streams_count_whole()
    {
        var read = new ReadProgress();
        read.SetTotal(200, ProgressUnit.Rows);
        read.ReportPosition(999); // a connector's own position is not used for rows: the pipeline counts them

        var progress = Of(2, 2, 100, 4, read);

        Assert.That((progress.Position, progress.Percent), Is.EqualTo(((long?)100, 75.0)));
    }

    [Test]
    public void Without_a_total_there_are_rows_and_a_rate_but_no_percentage_or_eta()
    {
        var progress = Of(1, 1, 300, 2, new ReadProgress());

        Assert.That((progress.Percent, progress.EtaSeconds, progress.Total, progress.Unit, progress.RowsPerSecond), Is.EqualTo(((double?)null, (double?)null, (long?)null, "unknown", 150.0)));
    }

    [Test]
    public void The_stored_form_reads_back_the_same()
    {
        var read = new ReadProgress();
        read.SetTotal(10, ProgressUnit.Pages);
        read.ReportPosition(4);
        var progress = Of(1, 3, 40, 1.5, read);

        Assert.That(RunProgress.FromJson(progress.ToJson()), Is.EqualTo(progress));
        Assert.That(progress.ToJson(), Does.Contain("\"rowsRead\":40").And.Contain("\"percent\":13.3"));
    }

    [TestCase(null, 40.0)]
    [TestCase(RunProgress.Walking, 20.0)]
    [TestCase(RunProgress.Applying, 70.0)]
    public void Each_read_of_a_walked_stream_is_half_the_stream(string? phase, double percent)
    {
        var read = new ReadProgress();
        read.SetTotal(1000, ProgressUnit.Bytes);
        read.ReportPosition(400);

        var progress = RunProgress.Of("persons", 1, 1, 100, 100, TimeSpan.FromSeconds(1), read, phase);

        Assert.That((progress.Percent, progress.Phase), Is.EqualTo(((double?)percent, phase)));
        Assert.That(RunProgress.FromJson(progress.ToJson()), Is.EqualTo(progress));
    }
}
