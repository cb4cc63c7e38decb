namespace P2PMesh.Core.Transfers.Download.Internal;

/// <summary>
/// Which chunks of a file are complete: one bit per chunk, bit <c>i</c> at byte <c>i / 8</c>, mask
/// <c>1 &lt;&lt; (i % 8)</c>, which is also its persisted form (base64 in the state file). Not
/// thread-safe: the engine guards it with a lock.
/// </summary>
internal sealed class ChunkBitmap
{
    private readonly byte[] _bits;

    /// <summary>An empty bitmap for <paramref name="length"/> chunks.</summary>
    public ChunkBitmap(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _bits = new byte[(length + 7) / 8];
    }

    /// <summary>How many chunks it covers.</summary>
    public int Length { get; }

    /// <summary>How many bits are set.</summary>
    public int SetCount { get; private set; }

    /// <summary>Whether every chunk is complete.</summary>
    public bool IsFull => SetCount == Length;

    /// <summary>Whether chunk <paramref name="index"/> is complete.</summary>
    public bool Get(int index) => (_bits[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>Marks chunk <paramref name="index"/> complete; false if it already was.</summary>
    public bool Set(int index)
    {
        if (Get(index))
        {
            return false;
        }
        _bits[index >> 3] |= (byte)(1 << (index & 7));
        SetCount++;
        return true;
    }

    /// <summary>The indices of the complete chunks, ascending.</summary>
    public IEnumerable<int> SetIndices()
    {
        for (var i = 0; i < Length; i++)
        {
            if (Get(i))
            {
                yield return i;
            }
        }
    }

    /// <summary>The persisted form.</summary>
    public string ToBase64() => Convert.ToBase64String(_bits);

    /// <summary>Reads the persisted form of a bitmap of <paramref name="length"/> chunks; null when it does not fit.</summary>
    public static ChunkBitmap? FromBase64(string? base64, int length)
    {
        if (base64 is null || length < 0)
        {
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
        var bitmap = new ChunkBitmap(length);
        if (bytes.Length != bitmap._bits.Length)
        {
            return null;
        }
        for (var i = 0; i < length; i++)
        {
            if ((bytes[i >> 3] & (1 << (i & 7))) != 0)
            {
                bitmap.Set(i);
            }
        }
        return bitmap;
    }
}
