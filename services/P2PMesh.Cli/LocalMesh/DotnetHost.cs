using System.Runtime.InteropServices;

namespace P2PMesh.Cli.LocalMesh;

/// <summary>The <c>dotnet</c> executable to run the services with: the one running this CLI when it can be found.</summary>
internal static class DotnetHost
{
    public static string Locate()
    {
        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        // `dotnet P2PMesh.Cli.dll` / `dotnet run`: this process is the host.
        if (Environment.ProcessPath is { } processPath && Path.GetFileName(processPath).Equals(executable, StringComparison.OrdinalIgnoreCase))
        {
            return processPath;
        }
        // Run through the tool's apphost: the SDK exports DOTNET_HOST_PATH to tools; else DOTNET_ROOT; else
        // the runtime this process uses (<root>/shared/Microsoft.NETCore.App/<version>/).
        foreach (var candidate in new[]
        {
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? Path.Combine(root, executable) : null,
            Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", executable)),
        })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }
        return executable;
    }
}
