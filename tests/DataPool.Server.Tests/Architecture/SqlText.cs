using System.Text;
using System.Text.RegularExpressions;

namespace DataPool.Server.Tests.Architecture;

/// <summary>
/// Finds SQL statements in the string literals of C# source: regular, verbatim, interpolated and raw literals are
/// read, comments skipped, so prose that mentions a SELECT in a comment is not taken for SQL.
/// </summary>
public static partial class SqlText
{
    /// <summary>Each SQL statement start found in a literal of <paramref name="source"/>, with its line.</summary>
    public static IEnumerable<(int Line, string Text)> Find(string source) =>
        Literals(source).SelectMany(l => Statement().Matches(l.Text).Select(m => (l.Line, m.Value)));

    [GeneratedRegex(@"\b(SELECT\b[\s\S]*?\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(UNIQUE\s+)?(TABLE|INDEX)|ALTER\s+TABLE|DROP\s+(TABLE|INDEX))\b")]
    private static partial Regex Statement();

    /// <summary>The text of every string literal, with the line it starts on.</summary>
    public static IEnumerable<(int Line, string Text)> Literals(string source)
    {
        var literals = new List<(int, string)>();
        var line = 1;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '\n')
            {
                line++;
            }
            else if (c == '/' && At(source, i + 1) == '/')
            {
                while (i < source.Length && source[i] != '\n')
                {
                    i++;
                }

                line++;
            }
            else if (c == '/' && At(source, i + 1) == '*')
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + 2;
                line += source.AsSpan(i, end - i).Count('\n');
                i = end - 1;
            }
            else if (c == '\'')
            {
                // A char literal: '"' must not open a string.
                var end = source.IndexOf('\'', i + (At(source, i + 1) == '\\' ? 3 : 2));
                i = end < 0 ? source.Length : end;
            }
            else if (c == '"')
            {
                var start = line;
                var verbatim = i > 0 && (source[i - 1] == '@' || (source[i - 1] == '$' && i > 1 && source[i - 2] == '@'));
                var text = new StringBuilder();
                if (source.AsSpan(i).StartsWith("\"\"\""))
                {
                    var quotes = 0;
                    while (i + quotes < source.Length && source[i + quotes] == '"')
                    {
                        quotes++;
                    }

                    var close = new string('"', quotes);
                    var end = source.IndexOf(close, i + quotes, StringComparison.Ordinal);
                    end = end < 0 ? source.Length : end;
                    text.Append(source, i + quotes, end - i - quotes);
                    line += text.ToString().Count(ch => ch == '\n');
                    i = Math.Min(source.Length, end + quotes) - 1;
                }
                else
                {
                    for (i++; i < source.Length; i++)
                    {
                        if (source[i] == '\\' && !verbatim)
                        {
                            i++;
                            continue;
                        }

                        if (source[i] == '"' && verbatim && At(source, i + 1) == '"')
                        {
                            i++;
                            text.Append('"');
                            continue;
                        }

                        if (source[i] == '"' || (source[i] == '\n' && !verbatim))
                        {
                            break;
                        }

                        if (source[i] == '\n')
                        {
                            line++;
                        }

                        text.Append(source[i]);
                    }
                }

                literals.Add((start, text.ToString()));
            }
        }

        return literals;
    }

    private static char At(string source, int index) => index < source.Length ? source[index] : '\0';
}
