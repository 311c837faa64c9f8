using System.Net;
using System.Net.Http.Headers;
using static Microsoft.Playwright.Assertions;

namespace Vectord.Dashboard.Tests;

/// <summary>The Orleans dashboard co-hosted at /orleans/: off by default, behind the same tokens when on.</summary>
public sealed class OrleansDashboardTests(AuthSiloFixture fixture, Browser browser) : IClassFixture<AuthSiloFixture>
{
    [Fact]
    public async Task It_is_off_by_default()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "orleans/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Silo.AdminToken);
        using var response = await fixture.Silo.Api.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task When_on_it_needs_a_token_and_opens_after_signing_in_to_the_dashboard()
    {
        await using var silo = await Silo.StartAsync(auth: true, null, "--Dashboard:Orleans=true");
        using var anonymous = new HttpClient { BaseAddress = silo.BaseAddress };
        using (var refused = await anonymous.GetAsync(new Uri("orleans/", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        foreach (string token in new[] { Silo.AdminToken, Silo.ReaderToken })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "orleans/");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var page = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Orleans Dashboard", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        // The browser cannot add a header to the Orleans dashboard's own requests: signing in here sets a cookie for /orleans.
        await using var tab = await browser.OpenAsync(silo.BaseAddress);
        await tab.SignInAsync(Silo.AdminToken);
        await tab.Page.GotoAsync("/orleans/");
        await Expect(tab.Page).ToHaveTitleAsync("Orleans Dashboard");
        await Browser.ScreenshotAsync(tab.Page, "orleans-dashboard");
    }
}
