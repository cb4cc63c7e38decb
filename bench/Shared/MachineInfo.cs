using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;

namespace P2PMesh.Bench.Shared;

/// <summary>Where a benchmark ran, for the header of its block in bench/RESULTS.md (read from /proc, /etc/os-release and <c>dotnet --version</c>).</summary>
internal sealed record MachineInfo(int Cpus, string CpuModel, string Memory, string Os, string Kernel, string Sdk, string Runtime, bool ServerGc, DateTimeOffset Date)
{
    /// <summary>Reads this machine's description.</summary>
    public static async Task<MachineInfo> CollectAsync(CancellationToken cancellationToken = default) => new(
        Environment.ProcessorCount,
        ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        ProcField("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], out var total)
            ? $"{total / 1024.0 / 1024.0:F0} GiB RAM"
            : "RAM unknown",
        OsName() ?? RuntimeInformation.OSDescription,
        ReadKernel(),
        await DotnetVersionAsync(cancellationToken),
        RuntimeInformation.FrameworkDescription,
        GCSettings.IsServerGC,
        DateTimeOffset.UtcNow);

    /// <summary>One line: CPUs, model, memory, OS, kernel, SDK, runtime and the GC mode of the process that reads it.</summary>
    public override string ToString() =>
        $"{Cpus} CPUs (nproc), {CpuModel}, {Memory}, {Os}, Linux {Kernel}; .NET SDK {Sdk} (`dotnet --version`), {Runtime}, {(ServerGc ? "server" : "workstation")} GC";

    /// <summary>The value of the first <c>name: value</c> line of a /proc file, or <c>null</c>.</summary>
    private static string? ProcField(string path, string name)
    {
        try
        {
            return File.ReadLines(path)
                .Select(l => l.Split(':', 2))
                .FirstOrDefault(p => p.Length == 2 && p[0].Trim() == name)?[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string ReadKernel()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return Environment.OSVersion.Version.ToString();
        }
    }

    private static string? OsName()
    {
        try
        {
            return File.ReadLines("/etc/os-release")
                .FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>What <c>dotnet --version</c> prints (the SDK in force here).</summary>
    private static async Task<string> DotnetVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var version = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return version.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
