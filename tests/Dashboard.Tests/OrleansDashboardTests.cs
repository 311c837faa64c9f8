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
        using (var request = new HttpRequestMessage(HttpMethod.Get, "orleans/"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Silo.AdminToken);
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

    [Fact]
    public async Task A_read_only_token_gets_403_everywhere_under_it_even_on_gets()
    {
        await using var silo = await Silo.StartAsync(auth: true, null, "--Dashboard:Orleans=true");
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        // The log stream (Trace), the page itself and its data, by header and by the cookie the dashboard sets.
        foreach (string path in new[] { "orleans/", "orleans/Trace", "orleans/DashboardCounters", "orleans/index.min.js" })
        {
            using var byHeader = new HttpRequestMessage(HttpMethod.Get, path);
            byHeader.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Silo.ReaderToken);
            using var cookie = new HttpRequestMessage(HttpMethod.Get, path);
            cookie.Headers.Add("Cookie", $"vectord_token={Silo.ReaderToken}");
            foreach (var request in new[] { byHeader, cookie })
            {
                using var refused = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                Assert.Contains("read-write token", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }
        }
        using var admin = new HttpRequestMessage(HttpMethod.Get, "orleans/Trace");
        admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Silo.AdminToken);
        using var stream = await http.SendAsync(admin, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
    }
}
