using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;

namespace P2PMesh.Grpc.Reflection;

/// <summary>
/// <c>grpc.reflection.v1.ServerReflection</c> (doc/server-reflection.md): list_services,
/// file_by_filename, file_containing_symbol (with transitive imports) and
/// all_extension_numbers_of_type. Lookup failures are answered in the stream with an
/// <c>error_response</c> (NOT_FOUND), so the stream stays usable.
/// </summary>
internal sealed class ReflectionServiceV1(ReflectionIndex index) : IGrpcService
{
    public static ServiceDescriptor Descriptor => ReflectionReflection.Descriptor.Services[0];

    public async Task ServerReflectionInfo(
        IAsyncEnumerable<ServerReflectionRequest> requests,
        IServerStreamWriter<ServerReflectionResponse> responses,
        ServerCallContext context)
    {
        var sent = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var request in requests.WithCancellation(context.CancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(Answer(request, sent), context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The answer to one request; <paramref name="sent"/> holds the files already sent on this stream.</summary>
    public ServerReflectionResponse Answer(ServerReflectionRequest request, HashSet<string> sent)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                list.Service.AddRange(index.ServiceNames.Select(name => new ServiceResponse { Name = name }));
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFiles(response, index.FindFile(request.FileByFilename), sent, $"File '{request.FileByFilename}' not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFiles(response, index.FindFileContainingSymbol(request.FileContainingSymbol), sent, $"Symbol '{request.FileContainingSymbol}' not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                // These protos declare no extensions.
                SetError(response, StatusCode.NotFound, $"Extension {request.FileContainingExtension.ExtensionNumber} of '{request.FileContainingExtension.ContainingType}' not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (index.IsMessageType(request.AllExtensionNumbersOfType))
                {
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                }
                else
                {
                    SetError(response, StatusCode.NotFound, $"Type '{request.AllExtensionNumbersOfType}' not found.");
                }
                break;
            default:
                SetError(response, StatusCode.InvalidArgument, "The request names no message_request.");
                break;
        }
        return response;
    }

    private static void SetFiles(ServerReflectionResponse response, FileDescriptor? file, HashSet<string> sent, string notFound)
    {
        if (file is null)
        {
            SetError(response, StatusCode.NotFound, notFound);
            return;
        }
        var files = new FileDescriptorResponse();
        files.FileDescriptorProto.AddRange(ReflectionIndex.WithDependencies(file, sent).Select(f => f.SerializedData));
        response.FileDescriptorResponse = files;
    }

    private static void SetError(ServerReflectionResponse response, StatusCode code, string message) =>
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };
}
