using DataPool.Core.Sync;

namespace DataPool.Core.Tests.Sync;

/// <summary>The pipeline's reason texts read back as stable codes, with the field and the source columns they concern.</summary>
public sealed class QuarantineReasonsTests
{
    [TestCase("id_number (身份证号): check character is '1', expected 'X'", QuarantineReasons.IdCheckCharacter, "id_number")]
    [TestCase("id_number (身份证号): has 17 characters, expected 18 (or 15)", QuarantineReasons.IdLength, "id_number")]
    [TestCase("id_number (身份证号): contains 'A' at position 3", QuarantineReasons.IdCharacter, "id_number")]
    [TestCase("id_number (身份证号): birth date 19801301 is not a date", QuarantineReasons.IdBirthDate, "id_number")]
    [TestCase("birth_date (出生日期): 1980-01-02 disagrees with the ID number, which says 1980-01-01", QuarantineReasons.BirthDateMismatch, "birth_date")]
    [TestCase("gender (性别): '女' disagrees with the ID number, whose sequence says male (1)", QuarantineReasons.GenderMismatch, "gender")]
    [TestCase("status (救助状态): '核查中' is not a code of assistance_status (1 在保, 2 暂停发放); map it with \"codes\"", QuarantineReasons.UnknownCode, "status")]
    [TestCase("birth_date (出生日期): 'not a date' is not a recognised date format", QuarantineReasons.DateFormat, "birth_date")]
    [TestCase("issued (发证日期): 2019-02-30 is not a date", QuarantineReasons.ImpossibleDate, "issued")]
    [TestCase("birth_date (出生日期): 1850-01-01 is outside 1900-01-01 … today", QuarantineReasons.DateRange, "birth_date")]
    [TestCase("id_number (身份证号): is required but column 身份证号 is empty", QuarantineReasons.Required, "id_number")]
    [TestCase("phone (联系电话): '12ab' contains 'a', which is not part of a phone number", QuarantineReasons.Phone, "phone")]
    [TestCase("amount (金额): 'abc' is not a number", QuarantineReasons.Number, "amount")]
    [TestCase("key column(s) 身份证号 empty: the row cannot be identified", QuarantineReasons.KeyMissing, null)]
    [TestCase("duplicate key 'x': an earlier row of this run (line 3) has the same key with other values", QuarantineReasons.DuplicateKey, null)]
    [TestCase("line 476 has 10 fields, the header has 11", QuarantineReasons.UnreadableRow, null)]
    public void A_reason_reads_as_its_code_and_field(string text, string code, string? field)
    {
        var reason = QuarantineReasons.Classify(text);

        Assert.That((reason.Code, reason.Field, reason.Text), Is.EqualTo((code, field, text)));
        Assert.That(QuarantineReasons.Codes, Does.Contain(reason.Code));
    }

    [Test]
    public void Joined_columns_are_each_named_and_the_stored_form_lists_each_code_once()
    {
        Assert.That(QuarantineReasons.Classify("address (路+门牌): is required but column 路+门牌 is empty").Columns, Is.EqualTo(new[] { "路", "门牌" }));
        Assert.That(QuarantineReasons.Stored(["line 2 has 3 fields, the header has 4", "id_number (身份证号): check character is '1', expected 'X'", "line 9 cut off"]),
            Is.EqualTo("|id_check_character|unreadable_row|"));
        Assert.That(QuarantineReasons.Parse("|a|b|"), Is.EqualTo(new[] { "a", "b" }));
    }
}
