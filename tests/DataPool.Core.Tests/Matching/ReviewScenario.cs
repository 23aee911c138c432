using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching;

/// <summary>
/// A household register person and a ledger row without an ID number that resembles them but not
/// enough to link on its own (same name and birth date; another gender code and community): the row
/// gets a provisional person of its own and a review item.
/// </summary>
public static class ReviewScenario
{
    public static readonly string Id = Residents.Id("19570302", 1);

    public static void Write(PoolTestHost host, string ledgerPhone = "13900139000")
    {
        host.WriteFile("hukou.csv", $"身份证号,姓名,性别,出生日期,社区,住址,电话\n{Id},张三,男,1957-03-02,110101001001,东城区1号,13800138000\n");
        host.WriteFile("ledger.csv", $"编号,身份证号,姓名,性别,出生日期,社区,住址,电话\nL1,,張三,女,1957/3/2,110101001002,东城区7号,{ledgerPhone}\n");
        host.WriteFile("hukou.source.json", LabelledWorld.HukouDefinition);
        host.WriteFile("ledger.source.json", LabelledWorld.LedgerDefinition);
    }
}
