namespace DataPool.Server.Tests;

/// <summary>
/// Stops the shared small demo world's servers after the last test of the assembly: fixtures of several namespaces
/// (forms, certificates, verification) share them, so a namespace's teardown would stop them under the next one.
/// </summary>
[SetUpFixture]
public sealed class FormsWorldTeardown
{
    [OneTimeTearDown]
    public Task StopAll() => Forms.FormsWorld.StopAll();
}
