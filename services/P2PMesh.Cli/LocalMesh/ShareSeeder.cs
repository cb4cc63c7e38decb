namespace P2PMesh.Cli.LocalMesh;

/// <summary>
/// <c>up --share-from DIR</c>: spreads the regular files below DIR (recursively, relative paths kept;
/// hidden files and links skipped) over the peers' shares round-robin in path order — file k to peer
/// k mod N — and every third file (k mod 3 = 2) also to the next peer, so some files have two holders.
/// </summary>
internal static class ShareSeeder
{
    /// <returns>For each peer, the relative paths it received.</returns>
    public static IReadOnlyList<IReadOnlyList<string>> Seed(string sourceDirectory, IReadOnlyList<string> shares)
    {
        ArgumentOutOfRangeException.ThrowIfZero(shares.Count);
        var source = Path.GetFullPath(sourceDirectory);
        var files = Directory.EnumerateFiles(source, "*", new EnumerationOptions
            {
                RecurseSubdirectories = true,
                AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
                IgnoreInaccessible = true,
            })
            .Select(path => Path.GetRelativePath(source, path))
            .Order(StringComparer.Ordinal)
            .ToList();

        var received = shares.Select(_ => new List<string>()).ToArray();
        for (var k = 0; k < files.Count; k++)
        {
            var holders = new List<int> { k % shares.Count };
            if (k % 3 == 2 && shares.Count > 1)
            {
                holders.Add((k + 1) % shares.Count);
            }
            foreach (var peer in holders)
            {
                var target = Path.Combine(shares[peer], files[k]);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(source, files[k]), target, overwrite: true);
                received[peer].Add(files[k]);
            }
        }
        return received;
    }
}
