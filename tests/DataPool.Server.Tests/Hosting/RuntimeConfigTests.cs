using System.Text.Json;

namespace DataPool.Server.Tests.Hosting;

/// <summary>
/// The executable's runtime settings, as built next to it. Most runs of datapool are short and busy (a sync, a
/// report), and with the runtime's defaults an unchanged re-sync of 280,528 rows spent a third of its time in
/// instrumented and unoptimised code (4.7 s against 3.1 s): these settings are what keeps it out of there.
/// </summary>
public class RuntimeConfigTests
{
    [Test]
    public void An_unchanged_resync_does_not_run_its_hot_loops_instrumented_or_unoptimised()
    {
        var properties = ConfigProperties();

        Assert.Multiple(() =>
        {
            Assert.That(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean(), Is.False,
                "profile-guided tiering runs hot code instrumented before optimising it");
            Assert.That(properties.GetProperty("System.Runtime.TieredCompilation.QuickJitForLoops").GetBoolean(), Is.False,
                "methods with loops (the CSV parser, the stored-hash search) start optimised");
            Assert.That(properties.TryGetProperty("System.Runtime.TieredCompilation", out var tiered) && !tiered.GetBoolean(), Is.False,
                "tiering itself stays on: start-up compiles hundreds of methods once");
        });
    }

    private static JsonElement ConfigProperties()
    {
        var file = Path.Combine(TestContext.CurrentContext.TestDirectory, "datapool.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
