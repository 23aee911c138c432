namespace DataPool.Benchmarks;

/// <summary>What <see cref="CopyFeed.Run"/> sent: data records, and ragged ones it evened out.</summary>
internal sealed record CopyFeedResult(long Records, long Padded, long Cut);

/// <summary>
/// Streams a CSV file's bytes into a <c>COPY … FROM STDIN (FORMAT csv)</c>, undecoded and unchanged, with two
/// exceptions: the title and header lines are left out, and a ragged record (fewer or more fields than the
/// header) is evened out to the header's width, empty fields added or extra ones dropped, which is what
/// <c>sqlite3 .import</c> does on its own. COPY refuses a ragged record and stops the whole load, and the
/// generated exports have some on purpose (they are among the rows a sync quarantines).
/// </summary>
/// <remarks>
/// Byte-level on purpose: in GB18030 (as in UTF-8) the bytes of <c>"</c>, <c>,</c>, CR and LF never occur
/// inside a multi-byte character, so records and fields can be found without decoding; the server decodes.
/// A line without a quote is measured with vectorised searches; only a line with quotes (a field may then
/// hold commas or line breaks) is walked byte by byte. Costs a fraction of what the COPY itself takes.
/// </remarks>
internal static class CopyFeed
{
    private const byte Quote = (byte)'"';
    private const byte Comma = (byte)',';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    public static CopyFeedResult Run(string path, int skipRecords, int width, Stream target)
    {
        var buffer = new byte[1 << 20];
        int length = 0, position = 0, recordStart = 0, passStart = 0;
        var quoted = false;
        var commas = 0;
        long records = 0, padded = 0, cut = 0;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

        // A record [recordStart, end) is complete: pass it on as it is, leave it out, or even it out.
        void EndRecord(int end)
        {
            if (skipRecords > 0)
            {
                skipRecords--;
                Flush(recordStart);
                passStart = end;
            }
            else
            {
                records++;
                if (commas != width - 1)
                {
                    Flush(recordStart);
                    var terminator = end;
                    if (terminator > recordStart && buffer[terminator - 1] == Lf)
                    {
                        terminator--;
                        if (terminator > recordStart && buffer[terminator - 1] == Cr)
                        {
                            terminator--;
                        }
                    }

                    if (commas < width - 1)
                    {
                        padded++;
                        target.Write(buffer, recordStart, terminator - recordStart);
                        target.Write(Enumerable.Repeat(Comma, width - 1 - commas).ToArray());
                    }
                    else
                    {
                        cut++;
                        target.Write(buffer, recordStart, CutAt(recordStart, terminator) - recordStart);
                    }

                    target.Write(buffer, terminator, end - terminator);
                    passStart = end;
                }
            }

            recordStart = end;
            commas = 0;
        }

        // Where the field after the header's last one begins (its comma): the record is cut there.
        int CutAt(int start, int end)
        {
            var inQuotes = false;
            var seen = 0;
            for (var i = start; i < end; i++)
            {
                if (buffer[i] == Quote)
                {
                    inQuotes = !inQuotes;
                }
                else if (buffer[i] == Comma && !inQuotes && ++seen == width)
                {
                    return i;
                }
            }

            return end;
        }

        void Flush(int upTo)
        {
            if (upTo > passStart)
            {
                target.Write(buffer, passStart, upTo - passStart);
                passStart = upTo;
            }
        }

        // The quote state and field count of a line that has quotes, carried on over the lines of a record.
        void Walk(ReadOnlySpan<byte> line)
        {
            foreach (var b in line)
            {
                if (b == Quote)
                {
                    quoted = !quoted;
                }
                else if (b == Comma && !quoted)
                {
                    commas++;
                }
            }
        }

        while (true)
        {
            var read = file.Read(buffer, length, buffer.Length - length);
            length += read;
            while (true)
            {
                var rest = buffer.AsSpan(position, length - position);
                var lf = rest.IndexOf(Lf);
                if (lf < 0)
                {
                    break;
                }

                var line = rest[..lf];
                if (!quoted && !line.Contains(Quote))
                {
                    commas += line.Count(Comma);
                }
                else
                {
                    Walk(line);
                }

                position += lf + 1;
                if (!quoted)
                {
                    EndRecord(position);
                }
            }

            if (read == 0)
            {
                // The last record may have no line break; a quote still open is COPY's to report.
                if (position < length)
                {
                    Walk(buffer.AsSpan(position, length - position));
                    position = length;
                }

                if (recordStart < length)
                {
                    EndRecord(length);
                }

                Flush(length);
                return new CopyFeedResult(records, padded, cut);
            }

            // Send what is settled and move the unfinished record to the front; grow for a record longer than the buffer.
            Flush(recordStart);
            var carried = length - recordStart;
            if (carried == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            Buffer.BlockCopy(buffer, recordStart, buffer, 0, carried);
            position -= recordStart;
            passStart -= recordStart;
            length = carried;
            recordStart = 0;
        }
    }
}
