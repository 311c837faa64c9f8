using static Microsoft.Playwright.Assertions;

namespace Vectord.Dashboard.Tests;

/// <summary>The token prompt: a wrong token is told so, the token lasts for the tab, a read-only token sees no
/// write actions.</summary>
public sealed class AuthPromptTests(AuthSiloFixture fixture, Browser browser) : IClassFixture<AuthSiloFixture>
{
    private Silo Silo => fixture.Silo;

    [Fact]
    public async Task A_wrong_token_gets_a_clear_message_and_the_right_one_signs_in()
    {
        await using var tab = await browser.OpenAsync(Silo.BaseAddress);
        var page = tab.Page;
        await page.GotoAsync("/");
        await Expect(page.Locator("#login h1")).ToHaveTextAsync("Sign in");
        await Browser.ScreenshotAsync(page, "sign-in");

        await page.Locator("#token").FillAsync("not-the-token");
        await page.Locator("#login button[type=submit]").ClickAsync();
        await Expect(page.Locator("#login-error")).ToContainTextAsync("not accepted (401)");
        await Expect(page.Locator("#token")).ToBeVisibleAsync();

        await page.Locator("#token").FillAsync(Silo.AdminToken);
        await page.Locator("#login button[type=submit]").ClickAsync();
        await Expect(page.Locator("#who")).ToContainTextAsync("token: read-write");
        await Expect(page.Locator("#silo-table")).ToBeVisibleAsync();
        string? kept = await page.EvaluateAsync<string?>("() => sessionStorage.getItem('vectord.token')");
        Assert.Equal(Silo.AdminToken, kept);

        // A reload keeps the session's token: no prompt.
        await page.ReloadAsync();
        await Expect(page.Locator("#silo-table")).ToBeVisibleAsync();
        await Expect(page.Locator("#login")).ToHaveCountAsync(0);

        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task A_read_only_token_sees_no_write_actions()
    {
        string name = Names.New("readonly");
        await Silo.CreateIndexAsync(name, 2);
        await Silo.AddAsync(name, new { id = "a", vector = new[] { 1f, 0f } }, new { id = "b", vector = new[] { 0f, 1f } });

        await using var tab = await browser.OpenAsync(Silo.BaseAddress);
        await tab.SignInAsync(Silo.ReaderToken);
        var page = tab.Page;
        await Expect(page.Locator("#who")).ToContainTextAsync("token: read-only");

        await DashboardTests.OpenFilteredAsync(page, name);
        await Expect(page.Locator("#create-index")).ToBeHiddenAsync();
        await Expect(page.Locator($"button[data-drop='{name}']")).ToBeHiddenAsync();
        await Browser.ScreenshotAsync(page, "indexes-read-only");

        await page.GotoAsync($"/dashboard/#/index/{name}");
        var rows = page.Locator("#item-table tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.First.Locator(".delete-item")).ToBeHiddenAsync();
        // Reads still work: search is a read.
        await rows.First.Locator(".find-similar").ClickAsync();
        await Expect(page.Locator("#neighbours tbody tr")).ToHaveCountAsync(2);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Without_auth_there_is_no_prompt()
    {
        await using var silo = await Silo.StartAsync(auth: false);
        await using var tab = await browser.OpenAsync(silo.BaseAddress);
        await tab.Page.GotoAsync("/");
        await Expect(tab.Page.Locator("#who")).ToHaveTextAsync("auth off");
        await Expect(tab.Page.Locator("#silo-table")).ToBeVisibleAsync();
        await Expect(tab.Page.Locator("#login")).ToHaveCountAsync(0);
        await tab.Page.GotoAsync("/dashboard/#/indexes");
        await Expect(tab.Page.Locator("#create-index")).ToBeVisibleAsync();
        Assert.Empty(tab.Errors);
    }
}
