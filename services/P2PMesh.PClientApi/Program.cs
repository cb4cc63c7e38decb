using P2PMesh.PClientApi.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddPClientApi();
var app = builder.Build();
app.MapPClientApi();
app.Run();
