using DataPool.Core.Households;

namespace DataPool.Core.Tests.Households;

public sealed class AddressKeyTests
{
    [TestCase("多福巷社区3号楼2单元501室")]
    [TestCase("多福巷社区 3号楼 2单元 501")]
    [TestCase("多福巷社区３栋２门５０１")]
    [TestCase("多福巷社区三号楼二单元501室")]
    [TestCase("多福巷社区3幢2单元501号")]
    [TestCase("多福巷社区3-2-501")]
    [TestCase("多福巷社区3#2单元501")]
    public void Spellings_of_one_flat_share_one_key(string address) =>
        Assert.That(AddressKey.Normalise(address), Is.EqualTo("多福巷社区3号楼2单元501"));

    [TestCase("多福巷社区3号楼2单元502")]
    [TestCase("多福巷社区4号楼2单元501")]
    [TestCase("多福巷社区13号楼2单元501")]
    [TestCase("前门社区3号楼2单元501")]
    public void Another_flat_has_another_key(string address) =>
        Assert.That(AddressKey.Normalise(address), Is.Not.EqualTo("多福巷社区3号楼2单元501"));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  　")]
    public void No_address_has_no_key(string? address) => Assert.That(AddressKey.Normalise(address), Is.Null);

    [Test]
    public void Tens_in_chinese_numerals_are_read_as_numbers() =>
        Assert.That(AddressKey.Normalise("十二号楼二十一单元"), Is.EqualTo("12号楼21单元"));
}
