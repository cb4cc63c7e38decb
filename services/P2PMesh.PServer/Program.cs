using P2PMesh.PServer.Extensions;
using P2PMesh.PServer.Grpc;
using P2PMesh.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddPServer();
var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<PeerService>();
app.Run();
