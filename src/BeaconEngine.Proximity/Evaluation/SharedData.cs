namespace BeaconEngine.Proximity.Evaluation;

/// <summary>Finds the project's shared data sets: <c>../shared/data/&lt;name&gt;</c> beside the repository.</summary>
public static class SharedData
{
    /// <summary>The data set's folder, searched upwards from the working directory and from this program's folder.</summary>
    public static string Folder(string dataset)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BeaconEngine.sln")))
                {
                    var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", dataset));
                    if (Directory.Exists(folder))
                    {
                        return folder;
                    }
                }
            }
        }

        throw new DirectoryNotFoundException($"The shared data set '{dataset}' was not found at ../shared/data beside the repository.");
    }
}
