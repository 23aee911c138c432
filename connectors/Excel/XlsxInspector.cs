using System.IO.Compression;
using System.Xml;

namespace DataPool.Connectors.Excel;

/// <summary>
/// Reads a workbook's zip once, inflating every part into nothing while counting, and throws an
/// <see cref="XlsxLimitException"/> the moment a part goes over an <see cref="XlsxLimits"/>. Only then may
/// ClosedXML, which allocates everything the file expands to, open it. The central directory's sizes are checked
/// first, an early refusal before anything inflates. They are not trusted alone: bytes are counted again as they
/// inflate (.NET stops a part at its declared size today; the count keeps the limit whatever the zip reader does),
/// and XML parts are scanned for shared strings and cells as they stream by, nothing of them kept.
/// </summary>
public static class XlsxInspector
{
    private const string Ratio = "maxCompressionRatio";
    private const string Uncompressed = "maxUncompressedMB";
    private const string SharedStringsBytes = "maxSharedStringsMB";

    /// <summary>Checks a seekable workbook stream and leaves it at position 0 for the reader.</summary>
    /// <exception cref="XlsxLimitException">A limit was exceeded.</exception>
    /// <exception cref="InvalidDataException">The stream is not a zip.</exception>
    public static void Check(Stream workbook, XlsxLimits limits, string fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workbook);
        ArgumentNullException.ThrowIfNull(limits);
        var fileLength = workbook.Length;
        using (var zip = new ZipArchive(workbook, ZipArchiveMode.Read, leaveOpen: true))
        {
            CheckDeclared(zip, limits, fileName, fileLength);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var counted = new CountingStream(entry.Open(), new PartBudget(entry, limits, fileName, fileLength), total);
                ScanPart(counted, entry.FullName, limits, fileName, cancellationToken);
                total = counted.Total;
            }
        }

        workbook.Position = 0;
    }

    private static void CheckDeclared(ZipArchive zip, XlsxLimits limits, string fileName, long fileLength)
    {
        long declared = 0;
        foreach (var entry in zip.Entries)
        {
            declared += entry.Length;
            PartBudget.CheckRatio(entry.FullName, entry.Length, entry.CompressedLength, fileLength, limits, fileName);
        }

        if (declared > limits.MaxUncompressedBytes)
        {
            throw new XlsxLimitException(Uncompressed,
                $"{fileName} declares {XlsxLimitException.Size(declared)} uncompressed, over the limit of {XlsxLimitException.Size(limits.MaxUncompressedBytes)}");
        }
    }

    /// <summary>Streams one part through an XML reader when it is XML (to count strings and cells), else drains it.</summary>
    private static void ScanPart(CountingStream part, string name, XlsxLimits limits, string fileName, CancellationToken cancellationToken)
    {
        if (name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                ScanXml(part, name, limits, fileName, cancellationToken);
            }
            catch (XmlException)
            {
                // Not well-formed: not a part we count; ClosedXML judges the file. The rest is still counted below.
            }
        }

        var sink = new byte[81920];
        while (part.Read(sink, 0, sink.Length) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static void ScanXml(CountingStream part, string name, XlsxLimits limits, string fileName, CancellationToken cancellationToken)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            CloseInput = false,
        };
        using var reader = XmlReader.Create(part, settings);
        if (reader.MoveToContent() != XmlNodeType.Element)
        {
            return;
        }

        // Parts are recognised by their root, not their name: a forged workbook may put a sheet anywhere.
        var (counted, depth, limit, what) = reader.LocalName switch
        {
            "sst" => ("si", 1, limits.MaxSharedStrings, "shared strings"),
            "worksheet" => ("c", 3, limits.MaxCellsPerSheet, "cells in one sheet"),
            _ => (null, 0, 0L, ""),
        };
        if (counted is null)
        {
            return;
        }

        if (counted == "si")
        {
            part.Budget.SharedStrings();
        }

        long count = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Depth != depth || reader.LocalName != counted)
            {
                continue;
            }

            if (++count > limit)
            {
                var setting = counted == "si" ? "maxSharedStrings" : "maxCellsPerSheet";
                throw new XlsxLimitException(setting,
                    $"{fileName} has more than {XlsxLimitException.Count(limit)} {what} (in {name}), over the limit of {XlsxLimitException.Count(limit)}");
            }

            if ((count & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>The limits one part is held to while it inflates.</summary>
    private sealed class PartBudget(ZipArchiveEntry entry, XlsxLimits limits, string fileName, long fileLength)
    {
        private long _partLimit = long.MaxValue;

        /// <summary>The part turned out to be the shared-string table: its bytes count against that limit too.</summary>
        public void SharedStrings() => _partLimit = limits.MaxSharedStringBytes;

        public void Check(long partBytes, long totalBytes)
        {
            if (totalBytes > limits.MaxUncompressedBytes)
            {
                throw new XlsxLimitException(Uncompressed,
                    $"{fileName} expands to more than {XlsxLimitException.Size(limits.MaxUncompressedBytes)} uncompressed (reached in {entry.FullName}), over the limit of {XlsxLimitException.Size(limits.MaxUncompressedBytes)}");
            }

            if (partBytes > _partLimit)
            {
                throw new XlsxLimitException(SharedStringsBytes,
                    $"{fileName} has more than {XlsxLimitException.Size(_partLimit)} of shared strings ({entry.FullName}), over the limit of {XlsxLimitException.Size(_partLimit)}");
            }

            CheckRatio(entry.FullName, partBytes, entry.CompressedLength, fileLength, limits, fileName);
        }

        public static void CheckRatio(string part, long uncompressed, long compressed, long fileLength, XlsxLimits limits, string fileName)
        {
            if (uncompressed < limits.RatioCheckFromBytes)
            {
                return;
            }

            // A forged directory may overstate the compressed size to hide the ratio; no part is larger than the file.
            var deflated = Math.Max(1, Math.Min(compressed, fileLength));
            var ratio = uncompressed / (double)deflated;
            if (ratio > limits.MaxCompressionRatio)
            {
                throw new XlsxLimitException(Ratio,
                    $"{fileName}: part {part} inflates at least {ratio:0}:1 ({XlsxLimitException.Size(uncompressed)} from {XlsxLimitException.Size(deflated)}), over the limit of {limits.MaxCompressionRatio:0.#}:1 — a zip bomb or a very unusual workbook");
            }
        }
    }

    /// <summary>A read-only stream over one inflating part that counts its bytes and the workbook's running total.</summary>
    private sealed class CountingStream(Stream inner, PartBudget budget, long totalBefore) : Stream
    {
        private long _part;

        public PartBudget Budget => budget;

        public long Total => totalBefore + _part;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _part;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            _part += n;
            budget.Check(_part, Total);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
