using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("P2PMesh.Bootstrap.Tests")]
