using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("P2PMesh.PClientApi.Tests")]
