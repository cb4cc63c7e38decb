namespace P2PMesh.Bench.Shared;

/// <summary>
/// One benchmark's block in a markdown file that several benchmarks share (bench/RESULTS.md): the text from
/// <see cref="Begin"/> to <see cref="End"/>, i.e. <c>&lt;!-- NAME-bench:begin --&gt;</c> … <c>&lt;!-- NAME-bench:end --&gt;</c>.
/// Only that block is replaced; the rest of the file belongs to whoever wrote it (bench/run.sh keeps
/// these blocks when it regenerates the file).
/// </summary>
/// <param name="Name">The benchmark's name, e.g. <c>flood</c> or <c>transfer</c>.</param>
internal sealed record MarkedBlock(string Name)
{
    /// <summary>The line that opens the block.</summary>
    public string Begin => $"<!-- {Name}-bench:begin -->";

    /// <summary>The line that closes the block.</summary>
    public string End => $"<!-- {Name}-bench:end -->";

    /// <summary><paramref name="text"/> with its block replaced by <paramref name="block"/> (which carries both markers), or the block appended.</summary>
    public string Replace(string text, string block)
    {
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = begin < 0 ? -1 : text.IndexOf(End, begin, StringComparison.Ordinal);
        if (begin >= 0 && end >= 0)
        {
            return string.Concat(text.AsSpan(0, begin), block, text.AsSpan(end + End.Length));
        }
        var separator = text.Length == 0 ? "" : text.EndsWith("\n\n", StringComparison.Ordinal) ? "" : text.EndsWith('\n') ? "\n" : "\n\n";
        return text + separator + block + "\n";
    }

    /// <summary>Replaces the block in <paramref name="path"/> (creating the file if needed), through a temporary file and a rename.</summary>
    public async Task WriteIntoAsync(string path, string block, CancellationToken cancellationToken = default)
    {
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : "";
        var temporary = $"{path}.{Name}-bench.tmp";
        await File.WriteAllTextAsync(temporary, Replace(text, block), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
