namespace P2PMesh.ServiceDefaults;

/// <summary>Registered by <see cref="GrpcEndpointExtensions.AddGrpcEndpoint"/>: this host serves gRPC.</summary>
internal sealed class GrpcEndpointMarker;
