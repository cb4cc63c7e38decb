namespace P2PMesh.PClientApi.Tests.Uploads;

/// <summary>
/// A read-only, forward-only body of <c>length</c> bytes that repeats <c>block</c> (the last copy cut short), so a
/// test can send gigabytes while holding one block; two instances over the same block yield the same bytes.
/// </summary>
internal sealed class GeneratedStream(byte[] block, long length) : Stream
{
    private long _position;

    /// <summary>A block of <paramref name="size"/> pseudo-random bytes, the same for the same <paramref name="seed"/>.</summary>
    public static byte[] Block(int seed, int size)
    {
        var block = new byte[size];
        new Random(seed).NextBytes(block);
        return block;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var offsetInBlock = (int)(_position % block.Length);
        var count = (int)Math.Min(Math.Min(buffer.Length, block.Length - offsetInBlock), length - _position);
        block.AsSpan(offsetInBlock, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
