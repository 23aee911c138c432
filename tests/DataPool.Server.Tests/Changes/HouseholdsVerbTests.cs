using Microsoft.Data.Sqlite;

namespace DataPool.Server.Tests.Changes;

/// <summary><c>households rebuild</c>: every person re-linked, as the sync's own step would.</summary>
public sealed class HouseholdsVerbTests
{
    [Test]
    public async Task Rebuild_restores_the_memberships_a_sync_made()
    {
        ChangeServer.WriteRegister(Workspace.Folder,
            Registered.Born("1957-03-02", 1, "张三", "1000010001", "02", "多福巷社区1号楼1单元101", ChangeServer.Community),
            Registered.Born("1960-05-06", 2, "王丽", "1000010001", "12", "多福巷社区1号楼1单元101", ChangeServer.Community));
        Assert.That((await Cli.RunAsync("sync", "register.source.json", "--data", Workspace.Data)).ExitCode, Is.Zero);
        Assert.That(PoolDb.Count(Workspace.Data, "dp_household_members"), Is.EqualTo(2), "the sync linked both");
        using (var connection = new SqliteConnection($"Data Source={PoolDb.File(Workspace.Data)};Pooling=false"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM dp_household_members";
            delete.ExecuteNonQuery();
        }

        var result = await Cli.RunAsync("households", "rebuild", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("households: 2 memberships changed"), result.ToString());
        Assert.That(PoolDb.Count(Workspace.Data, "dp_household_members"), Is.EqualTo(2));
    }
}
