using System.Diagnostics;
using DataPool.Demo.Seeding;

namespace DataPool.Core.Tests.Seeding;

/// <summary>The million-resident world: run by hand (<c>--filter "FullyQualifiedName~Scale"</c>), it takes seconds.</summary>
public class DemoWorldScaleTests
{
    [Test]
    [Explicit("writes ~200 MB and takes 10–20 s")]
    public void AMillionResidentsInUnderAMinute()
    {
        var folder = Directory.CreateTempSubdirectory("datapool-seed-1m-").FullName;
        try
        {
            var before = GC.GetTotalAllocatedBytes();
            var watch = Stopwatch.StartNew();
            var summary = DemoWorldGenerator.Generate(new DemoWorldOptions(1_000_000, folder));
            watch.Stop();
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
            TestContext.Out.WriteLine($"1,000,000 residents in {watch.Elapsed.TotalSeconds:F1} s; {summary.Households:N0} households, " +
                $"{summary.Communities} communities, {summary.Streets} streets; peak working set {peak} MB; " +
                $"{(GC.GetTotalAllocatedBytes() - before) / (1024 * 1024)} MB allocated");

            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromMinutes(1)));
            Assert.That(summary.Communities, Is.EqualTo(589));
            Assert.That(summary.Sources.Single(s => s.Id == "hukou").Streams[0].Read, Is.GreaterThan(1_000_000));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
