namespace P2PMesh.PServer.Tests.Transfers.Download;

/// <summary>How a <see cref="FakePeerService"/> spoils the chunks it serves.</summary>
public enum FakeCorruption
{
    None,

    /// <summary>One byte of the data inverted: right length and offsets, wrong hash.</summary>
    FlipByte,

    /// <summary>The last byte left out.</summary>
    ShortChunk,

    /// <summary>The first message's offset is one too high.</summary>
    WrongOffset,

    /// <summary>One byte too many at the end.</summary>
    ExtraByte,
}
