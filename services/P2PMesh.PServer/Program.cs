using P2PMesh.PServer.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddPServer();
var app = builder.Build();
app.MapPServer();
app.Run();
