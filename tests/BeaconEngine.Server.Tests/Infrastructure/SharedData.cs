namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>Finds the project's shared data (../shared/data beside the repository).</summary>
internal static class SharedData
{
    public static string Folder(string dataset)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BeaconEngine.sln")))
        {
            dir = dir.Parent;
        }

        var folder = dir is null ? null : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", dataset));
        return folder is not null && Directory.Exists(folder)
            ? folder
            : throw new DirectoryNotFoundException($"The shared data set '{dataset}' was not found at ../shared/data beside the repository.");
    }
}
