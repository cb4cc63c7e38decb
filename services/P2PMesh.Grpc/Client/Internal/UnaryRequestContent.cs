using System.IO.Pipelines;
using System.Net;
using Google.Protobuf;
using P2PMesh.Grpc.Internal;

namespace P2PMesh.Grpc.Client.Internal;

/// <summary>The body of a unary or server-streaming request: one length-prefixed message, then END_STREAM.</summary>
internal sealed class UnaryRequestContent : HttpContent
{
    private readonly IMessage _message;

    public UnaryRequestContent(IMessage message)
    {
        _message = message;
        Headers.TryAddWithoutValidation("content-type", GrpcProtocolConstants.ContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        await MessageFraming.WriteMessageAsync(writer, _message, maxMessageSize: null, cancellationToken).ConfigureAwait(false);
        await writer.CompleteAsync().ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = MessageFraming.HeaderSize + _message.CalculateSize();
        return true;
    }
}
