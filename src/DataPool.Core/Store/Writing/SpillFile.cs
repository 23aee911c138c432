namespace DataPool.Core.Store.Writing;

/// <summary>
/// A temporary file a run spills to (sorted runs, record ids). Its folder is made readable by this user only, since
/// what is spilled are hashes of source keys such as ID numbers. The file gets a random name and, off Windows, is
/// unlinked as soon as it is open: it lives only as long as the handle, so not even a killed process leaves it behind.
/// </summary>
internal static class SpillFile
{
    public static FileStream Create(string directory, string prefix)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            // Set again when it exists: a folder left open to others by anything before is closed, or the run fails.
            const UnixFileMode userOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Directory.CreateDirectory(directory, userOnly);
            File.SetUnixFileMode(directory, userOnly);
        }

        var path = Path.Combine(directory, $"{prefix}-{Guid.NewGuid():N}.spill");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }

        return file;
    }
}
