using Microsoft.AspNetCore.Http;

namespace P2PMesh.Grpc.Server.Internal;

/// <summary>A bound method's request delegate, whatever its message types.</summary>
internal interface IServerCallHandler
{
    Task HandleCallAsync(HttpContext httpContext);
}
