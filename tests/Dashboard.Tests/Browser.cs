using Microsoft.Playwright;
using Vectord.Testing;

[assembly: AssemblyFixture(typeof(Vectord.Dashboard.Tests.Browser))]

namespace Vectord.Dashboard.Tests;

/// <summary>
/// One headless Chromium (Debian's, at /usr/bin/chromium: Playwright cannot download its own here) for the
/// assembly; every test opens its own context, so pages share no storage, cookies or session token.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    /// <summary>Where the pages' screenshots are saved (under the repository's artifacts folder).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A fresh context and page on <paramref name="baseAddress"/>; dialogs (confirmations) are accepted
    /// unless <paramref name="acceptDialogs"/> is false.</summary>
    public async Task<Tab> OpenAsync(Uri baseAddress, bool acceptDialogs = true)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, message) => { lock (errors) { errors.Add(message); } };
        page.Dialog += async (_, dialog) =>
        {
            if (acceptDialogs) { await dialog.AcceptAsync(); }
            else { await dialog.DismissAsync(); }
        };
        return new Tab(context, page, errors);
    }

    /// <summary>Saves a full-page screenshot as artifacts/screenshots/<paramref name="name"/>.png.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}

/// <summary>One browser context with its page, and the script errors the page raised.</summary>
public sealed class Tab(IBrowserContext context, IPage page, List<string> errors) : IAsyncDisposable
{
    /// <summary>The page.</summary>
    public IPage Page { get; } = page;

    /// <summary>Uncaught script errors so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (errors) { return [.. errors]; } }
    }

    /// <summary>Opens the dashboard and signs in with <paramref name="token"/> through the token prompt.</summary>
    public async Task SignInAsync(string token)
    {
        await Page.GotoAsync("/");
        await Page.Locator("#token").FillAsync(token);
        await Page.Locator("#login button[type=submit]").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(Page.Locator("#who")).ToContainTextAsync("token:");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
