using DataPool.Core.Sources;
namespace DataPool.Core.Tests.Sources;
public class ZzProbe
{
    [Test]
    public void Print()
    {
        foreach (var json in new[] {
            """{ "id": "Bad Id", "kind": "ftp", "schedule": "every day", "sheduel": 1, "streams": [
                { "name": "a", "entity": "person", "key": ["k"], "mode": "incremental", "fields": { "id_number": { "from": "k", "parse": "date" }, "gender": { "from": "g", "codes": { "x": "7" } }, "surname": {"from": "s"} } },
                { "name": "a", "entity": "nobody", "key": ["k"], "fields": { "x": { "from": "k", "onInvalid": "ignore", "form": 1 } } }]}""",
            "{\n  \"id\": \"x\",\n  \"kind\": csv\n}", "", "{ \"id\": 1, \"kind\": \"csv\", \"streams\": [{}] }", "{ \"id\": \"a\", \"kind\": \"csv\", \"priority\": 99999999999, \"streams\": [] }" })
        {
            try { SourceFixtures.Loader().Parse(json, "x.json"); TestContext.Out.WriteLine("OK"); }
            catch (SourceDefinitionException e) { TestContext.Out.WriteLine(e.Message); TestContext.Out.WriteLine("----"); }
        }
    }
}
