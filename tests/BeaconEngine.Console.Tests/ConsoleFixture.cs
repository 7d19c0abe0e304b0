using BeaconEngine.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BeaconEngine.Console.Tests;

/// <summary>One real server and one headless Chromium for a class of browser tests.</summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public EngineHost Host { get; private set; } = null!;

    /// <summary>Where the tests leave their screenshots: TestResults/screenshots under the test output folder.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        Host = await EngineHost.StartAsync();
        var chromium = Chromium.ExecutablePath;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,

            // Test containers often run as root, where Chromium's sandbox cannot start.
            ChromiumSandbox = false,

            // Containers often have a small /dev/shm; Chromium then keeps its shared memory in /tmp.
            Args = ["--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>A fresh page (own cookies and session storage) of the given viewport, that fails the test on any script error.</summary>
    public async Task<ConsolePage> OpenAsync(int width = 1280, int height = 860)
    {
        var browser = _browser ?? throw new InvalidOperationException("Chromium was not started.");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "Europe/Warsaw",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new ConsolePage(context, page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>A page that keeps the script errors and failed requests it met, for the test to assert there were none.</summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public ConsolePage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => _errors.Add(error);
        page.RequestFailed += (_, request) => _errors.Add($"{request.Method} {request.Url} failed: {request.Failure}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add(message.Text);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>The page's browser context: its network (offline) and its storage.</summary>
    public IBrowserContext Context => _context;

    /// <summary>Script errors so far, except the expected ones (a 401 answer to a wrong key is logged by the browser).</summary>
    public void AssertNoErrors(params string[] expected)
    {
        var errors = _errors.Where(e => !expected.Any(x => e.Contains(x, StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, $"The page met script errors:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    public async Task ScreenshotAsync(string name, bool fullPage = true) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleFixture.ScreenshotFolder, name + ".png"), FullPage = fullPage });

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
