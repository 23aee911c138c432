using DataPool.Abstractions;

namespace DataPool.Core.Sources;

/// <summary>A sample file stored in the sources root: its name there (what a definition's <c>settings.path</c> names), size and likely kind.</summary>
public sealed record SampleFile(string Path, long Bytes, string Kind);

/// <summary>Why an upload was refused; <see cref="Reason"/> says which rule (name, type, size, exists), nothing was written.</summary>
public sealed class SampleFileException(string reason, string message) : Exception(message)
{
    public const string BadName = "name";
    public const string BadType = "type";
    public const string TooLarge = "size";
    public const string Exists = "exists";

    public string Reason { get; } = reason;
}

/// <summary>
/// Puts an admin's sample export into the sources root, where definitions added through the API resolve their paths.
/// The upload is untrusted: its name must be a plain file name of a known kind (never a path), its bytes must look like
/// that kind, and it lands under a temporary name first, so a refused or broken upload leaves nothing behind.
/// </summary>
public static class SampleFiles
{
    /// <summary>A sample is a few thousand rows; the server's request limit is 10 MB, so the multipart framing fits beside it.</summary>
    public const long MaxBytes = 8 * 1024 * 1024;

    private const int MaxNameLength = 120;
    private const string TemporaryPrefix = ".upload-";

    /// <summary>The file kinds a sample can be, by extension: what the editor's preview and a definition's <c>kind</c> read.</summary>
    public static readonly IReadOnlyDictionary<string, string> KindByExtension = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = "csv",
        [".tsv"] = "csv",
        [".txt"] = "csv",
        [".xlsx"] = "excel",
        [".xlsm"] = "excel",
        [".dat"] = "fixedwidth",
        [".fw"] = "fixedwidth",
    };

    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];

    /// <summary>
    /// Stores <paramref name="content"/> as <paramref name="fileName"/> in <paramref name="root"/>. <paramref name="inspect"/>
    /// looks at the stored bytes before they take the name (e.g. a workbook's expansion limits) and throws to refuse them.
    /// An existing file is replaced only when <paramref name="replace"/>: it may be what a registered source reads.
    /// </summary>
    public static async Task<SampleFile> SaveAsync(Stream content, string? fileName, string root, bool replace,
        Action<Stream, string, string>? inspect = null, CancellationToken cancellationToken = default)
    {
        var name = CheckName(fileName);
        var kind = KindByExtension[Path.GetExtension(name)];
        Directory.CreateDirectory(root);
        var realRoot = RealPaths.Resolve(Path.GetFullPath(root));
        var target = Path.Combine(realRoot, name);
        if (!RealPaths.IsUnder(RealPaths.Resolve(target), realRoot))
        {
            // A link of that name in the root pointing elsewhere: writing through it would leave the root.
            throw new SampleFileException(SampleFileException.BadName, $"'{name}' in the sources folder leads outside it");
        }

        if (File.Exists(target) && !replace)
        {
            throw new SampleFileException(SampleFileException.Exists, $"a file '{name}' is already in the sources folder; replace it explicitly (it may be what a source reads)");
        }

        var temporary = Path.Combine(realRoot, TemporaryPrefix + Guid.NewGuid().ToString("N") + ".part");
        try
        {
            long bytes;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                bytes = await CopyLimitedAsync(content, file, cancellationToken);
                file.Position = 0;
                CheckContent(file, kind, name);
                file.Position = 0;
                inspect?.Invoke(file, kind, name);
            }

            File.Move(temporary, target, overwrite: replace);
            return new SampleFile(name, bytes, kind);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A plain file name of a known kind, or a <see cref="SampleFileException"/> saying why not.</summary>
    public static string CheckName(string? fileName)
    {
        var name = fileName?.Trim() ?? "";
        if (name.Length == 0 || name.Length > MaxNameLength || name.StartsWith('.') || name.Contains("..", StringComparison.Ordinal)
            || name.IndexOfAny(['/', '\\', ':']) >= 0 || name.Any(char.IsControl) || Path.GetFileName(name) != name)
        {
            throw new SampleFileException(SampleFileException.BadName,
                $"'{fileName}' is not a plain file name (no folders, no '..', at most {MaxNameLength} characters)");
        }

        if (!KindByExtension.ContainsKey(Path.GetExtension(name)))
        {
            throw new SampleFileException(SampleFileException.BadType,
                $"'{name}': a sample is one of {string.Join(", ", KindByExtension.Keys)}");
        }

        return name;
    }

    private static async Task<long> CopyLimitedAsync(Stream content, Stream file, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxBytes)
            {
                throw new SampleFileException(SampleFileException.TooLarge, $"a sample may be at most {MaxBytes / 1024 / 1024} MB");
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        if (total == 0)
        {
            throw new SampleFileException(SampleFileException.BadType, "the file is empty");
        }

        return total;
    }

    /// <summary>The bytes must be what the name says: a workbook is a zip, a text export holds no NUL bytes (unless UTF-16).</summary>
    private static void CheckContent(Stream file, string kind, string name)
    {
        var head = new byte[8192];
        var length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, length);
        if (kind == "excel")
        {
            if (!bytes.StartsWith(ZipMagic))
            {
                throw new SampleFileException(SampleFileException.BadType, $"'{name}' is not an .xlsx workbook");
            }

            return;
        }

        var utf16 = bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
        if (!utf16 && (bytes.Contains((byte)0) || bytes.StartsWith(ZipMagic)))
        {
            throw new SampleFileException(SampleFileException.BadType, $"'{name}' is not a text export (it holds binary data)");
        }
    }
}
