namespace DataPool.Abstractions;

/// <summary>
/// Real paths (realpath semantics): every symbolic link on the way is followed, so a link inside a folder that
/// points outside it is seen for what it is. Parts that do not exist yet are kept as written.
/// </summary>
public static class RealPaths
{
    /// <summary>Links followed in one path before it counts as a loop (Linux's own limit).</summary>
    private const int MaxLinks = 40;

    /// <summary>The path with every link resolved; an <see cref="IOException"/> when links loop.</summary>
    public static string Resolve(string path)
    {
        var pending = new Queue<string>();
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            pending.Enqueue(part);
        }

        var links = 0;
        while (pending.TryDequeue(out var part))
        {
            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"too many levels of symbolic links at '{next}'");
            }

            // The link's target replaces it; its own parts are walked again, as they may hold links themselves.
            var resolved = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target));
            var rest = pending.ToArray();
            pending.Clear();
            current = Path.GetPathRoot(resolved)!;
            foreach (var again in resolved[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest))
            {
                pending.Enqueue(again);
            }
        }

        return current;
    }

    /// <summary>Whether <paramref name="path"/> lies strictly inside <paramref name="folder"/> (both full paths).</summary>
    public static bool IsUnder(string path, string folder)
    {
        var withSeparator = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
        return path.StartsWith(withSeparator, StringComparison.Ordinal);
    }
}
