using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("P2PMesh.Core.Tests")]
[assembly: InternalsVisibleTo("P2PMesh.PServer.Tests")]
