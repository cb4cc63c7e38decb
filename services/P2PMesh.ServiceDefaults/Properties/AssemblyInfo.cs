using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("P2PMesh.ServiceDefaults.Tests")]
