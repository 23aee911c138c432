using System.Text;
using DataPool.Core.Values;

namespace DataPool.Server.Tests;

/// <summary>Exports big enough that a sync takes seconds, so its progress can be watched.</summary>
public static class BigExports
{
    /// <summary>A city district's export: valid ID numbers (born 1940 onwards, 400 a day), one column of names.</summary>
    /// <param name="rows">How many residents.</param>
    /// <param name="namePrefix">Each name is this and the row's number: another prefix changes every row.</param>
    public static string Persons(int rows, string namePrefix = "居民")
    {
        var csv = new StringBuilder("id,name\n");
        for (var i = 0; i < rows; i++)
        {
            var first17 = $"110105{new DateOnly(1940, 1, 1).AddDays(i / 400):yyyyMMdd}{i % 400 * 2 + 1:000}";
            csv.Append(first17).Append(IdNumber.CheckCharacter(first17)).Append(',').Append(namePrefix).Append(i).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>A CSV source definition over <paramref name="file"/> with the columns of <see cref="Persons"/>.</summary>
    public static string Definition(string id, string file) => $$"""
        {
          "id": "{{id}}", "name": "大文件导出", "department": "public-security", "kind": "csv",
          "settings": { "path": "{{file}}" }, "priority": 10,
          "streams": [{ "name": "persons", "entity": "person", "key": ["id"],
            "fields": { "id_number": { "from": "id" }, "name": { "from": "name" } } }]
        }
        """;
}
