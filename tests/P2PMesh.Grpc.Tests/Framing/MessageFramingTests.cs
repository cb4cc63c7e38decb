using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using P2PMesh.Grpc.Internal;
using P2PMesh.Testing.V1;

namespace P2PMesh.Grpc.Tests.Framing;

/// <summary>The framing reader on its own, over an in-memory pipe, for every way bytes can be split.</summary>
public sealed class MessageFramingTests
{
    private static readonly EchoRequest Sample = new() { Message = "héllo, framing", Payload = ByteString.CopyFrom(new byte[300]) };

    [Fact]
    public async Task ReadMessage_SplitAtEveryOffset_ParsesBothMessages()
    {
        var bytes = Frame(Sample).Concat(Frame(new EchoRequest())).ToArray();
        for (var split = 0; split <= bytes.Length; split++)
        {
            var pipe = new Pipe();
            var readTask = ReadAllAsync(pipe.Reader, maxSize: null);
            await pipe.Writer.WriteAsync(bytes.AsMemory(0, split));
            await pipe.Writer.WriteAsync(bytes.AsMemory(split));
            await pipe.Writer.CompleteAsync();

            var messages = await readTask;
            Assert.Equal([Sample, new EchoRequest()], messages);
        }
    }

    [Fact]
    public async Task ReadMessage_OneByteAtATime_ParsesMessage()
    {
        var bytes = Frame(Sample);
        var pipe = new Pipe();
        var readTask = ReadAllAsync(pipe.Reader, maxSize: null);
        foreach (var b in bytes)
        {
            await pipe.Writer.WriteAsync(new[] { b });
        }
        await pipe.Writer.CompleteAsync();
        Assert.Equal([Sample], await readTask);
    }

    [Fact]
    public async Task ReadMessage_EmptyStream_ReturnsNoMessage()
    {
        var pipe = new Pipe();
        await pipe.Writer.CompleteAsync();
        Assert.Empty(await ReadAllAsync(pipe.Reader, null));
    }

    [Fact]
    public async Task ReadMessage_HeaderAnnouncesOverLimit_ResourceExhaustedBeforeBodyArrives()
    {
        var pipe = new Pipe();
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), 1025);
        await pipe.Writer.WriteAsync(header);   // body never sent, stream not completed

        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(pipe.Reader, maxSize: 1024));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task ReadMessage_LengthNearUInt32Max_ResourceExhaustedWithoutLimit()
    {
        var pipe = new Pipe();
        var header = new byte[] { 0, 0xFF, 0xFF, 0xFF, 0xFF };
        await pipe.Writer.WriteAsync(header);
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(pipe.Reader, maxSize: null));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 })]                 // header cut short
    [InlineData(new byte[] { 0, 0, 0, 0, 9, 1, 2 })]     // body cut short
    public async Task ReadMessage_StreamEndsMidMessage_Internal(byte[] bytes)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(pipe.Reader, null));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("Incomplete message", ex.Status.Detail);
    }

    private static byte[] Frame(IMessage message)
    {
        var body = message.ToByteArray();
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
        body.CopyTo(frame, 5);
        return frame;
    }

    private static async Task<List<EchoRequest>> ReadAllAsync(PipeReader reader, int? maxSize)
    {
        var messages = new List<EchoRequest>();
        while (await MessageFraming.ReadMessageAsync(reader, EchoRequest.Parser, maxSize, null, CancellationToken.None) is { } message)
        {
            messages.Add(message);
        }
        return messages;
    }
}
