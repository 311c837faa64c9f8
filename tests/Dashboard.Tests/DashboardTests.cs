using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Vectord.Dashboard.Tests;

/// <summary>The dashboard in Chromium against a real silo process with auth on, signed in with the admin token.</summary>
public sealed class DashboardTests(AuthSiloFixture fixture, Browser browser) : IClassFixture<AuthSiloFixture>
{
    private Silo Silo => fixture.Silo;

    [Fact]
    public async Task Root_redirects_to_the_dashboard_whose_files_need_no_token()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Silo.BaseAddress };
        using var root = await http.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/dashboard/", root.Headers.Location?.OriginalString);
        using var page = await http.GetAsync(new Uri("/dashboard/", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        using var script = await http.GetAsync(new Uri("/dashboard/app.js", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var missing = await http.GetAsync(new Uri("/dashboard/nothing.js", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        // The data behind it still needs the token.
        using var cluster = await http.GetAsync(new Uri("/cluster/silos", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, cluster.StatusCode);
    }

    [Fact]
    public async Task Overview_shows_the_silo_the_totals_and_live_search_figures()
    {
        string name = Names.New("overview");
        await Silo.CreateIndexAsync(name, 2);
        await Silo.AddAsync(name, new { id = "a", vector = new[] { 1f, 0f } }, new { id = "b", vector = new[] { 0f, 1f } });
        var (indexes, vectors) = await TotalsAsync();

        await using var tab = await browser.OpenAsync(Silo.BaseAddress);
        await tab.SignInAsync(Silo.AdminToken);
        var page = tab.Page;
        await Expect(page.Locator("#silo-count")).ToHaveTextAsync("1");
        await Expect(page.Locator("#index-count")).ToHaveTextAsync(indexes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#vector-count")).ToHaveTextAsync(vectors.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        var row = page.Locator("#silo-table tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("active");
        Assert.True(int.Parse(await row.Locator("td").Nth(2).TextContentAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 1);

        // Searches made meanwhile show as a rate and a p99 at the next readings.
        using var searching = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var searches = Task.Run(async () =>
        {
            while (!searching.IsCancellationRequested)
            {
                using var reply = await Silo.Api.PostAsJsonAsync($"vectors/index/{name}/search", new { vector = new[] { 1f, 0.5f } }, CancellationToken.None);
                Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);
        try
        {
            await page.WaitForFunctionAsync("() => parseFloat(document.getElementById('search-rate')?.textContent) > 0",
                null, new PageWaitForFunctionOptions { Timeout = 20_000 });
            await Expect(page.Locator("#search-p99")).ToContainTextAsync("ms");
        }
        finally
        {
            await searching.CancelAsync();
            await searches;
        }
        await Browser.ScreenshotAsync(page, "overview");
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task An_index_created_through_the_form_shows_its_count_as_items_are_added_over_the_API()
    {
        string name = Names.New("form");
        await using var tab = await browser.OpenAsync(Silo.BaseAddress);
        await tab.SignInAsync(Silo.AdminToken);
        var page = tab.Page;
        await page.GotoAsync("/dashboard/#/indexes");
        var form = page.Locator("#create-index");
        await form.Locator("input[name=name]").FillAsync(name);
        await form.Locator("input[name=dimension]").FillAsync("3");
        await form.Locator("select[name=distance]").SelectOptionAsync("euclidean");
        await form.Locator("input[name=replicas]").FillAsync("1");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#indexes-message")).ToContainTextAsync($"Created {name}");

        var created = await Silo.Api.GetFromJsonAsync<JsonElement>($"vectors/index/{name}", TestContext.Current.CancellationToken);
        Assert.Equal(3, created.GetProperty("params").GetProperty("dimension").GetInt32());
        Assert.Equal("euclidean", created.GetProperty("params").GetProperty("distance").GetString());
        Assert.Equal(1, created.GetProperty("params").GetProperty("replicas").GetInt32());

        await page.Locator("#index-filter").FillAsync(name);
        await page.Locator("#index-filter").PressAsync("Enter");
        var row = page.Locator("#index-table tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync(name);
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("3");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("euclidean");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("0");
        await Browser.ScreenshotAsync(page, "indexes");

        await row.Locator("a").ClickAsync();
        await Expect(page.Locator("#index-length")).ToHaveTextAsync("0");
        var copy = page.Locator("#copy-table tbody tr");
        await Expect(copy).ToHaveCountAsync(1);
        await Expect(copy.Locator(".copy-role")).ToHaveTextAsync("primary");
        await Expect(copy.Locator(".copy-ready")).ToHaveTextAsync("yes");
        await Silo.AddAsync(name,
            new { id = "x", vector = new[] { 1f, 0f, 0f } },
            new { id = "y", vector = new[] { 0f, 1f, 0f } },
            new { id = "z", vector = new[] { 0f, 0f, 1f } });
        await Expect(page.Locator("#index-length")).ToHaveTextAsync("3");
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Items_are_browsed_by_page_searched_from_and_deleted()
    {
        string name = Names.New("browse");
        await Silo.CreateIndexAsync(name, 2);
        var items = Enumerable.Range(0, 120).Select(i => (object)new
        {
            id = $"item-{i:D3}",
            vector = new[] { (float)i, 0f },
            metadata = new { n = i, tag = "even-" + (i % 2 == 0) },
        }).ToArray();
        await Silo.AddAsync(name, items);

        await using var tab = await browser.OpenAsync(Silo.BaseAddress);
        await tab.SignInAsync(Silo.AdminToken);
        var page = tab.Page;
        await page.GotoAsync($"/dashboard/#/index/{name}");
        var rows = page.Locator("#item-table tbody tr");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(rows.First.Locator(".item-id")).ToHaveTextAsync("item-000");
        // Metadata is pretty-printed: one member per line.
        string metadata = await rows.First.Locator("pre.metadata").TextContentAsync() ?? "";
        Assert.Contains("\"n\": 0,\n", metadata, StringComparison.Ordinal);

        await page.Locator("#items-next").ClickAsync();
        await Expect(rows.First.Locator(".item-id")).ToHaveTextAsync("item-050");
        var target = page.Locator("#item-table tbody tr[data-id='item-060']");
        await target.Locator(".find-similar").ClickAsync();
        var neighbours = page.Locator("#neighbours tbody tr");
        await Expect(neighbours).ToHaveCountAsync(10);
        await Expect(neighbours.First.Locator(".neighbour-id")).ToHaveTextAsync("item-060");
        await Expect(neighbours.First.Locator(".neighbour-distance")).ToHaveTextAsync("0.000000");
        await Expect(neighbours.Nth(1).Locator(".neighbour-distance")).ToHaveTextAsync("1.000000");
        await Browser.ScreenshotAsync(page, "index-detail");

        await target.Locator(".delete-item").ClickAsync();
        await Expect(page.Locator("#detail-message")).ToContainTextAsync("Deleted item-060");
        await Expect(page.Locator("#item-table tbody tr[data-id='item-060']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#index-length")).ToHaveTextAsync("119");
        using var gone = await Silo.Api.GetAsync(new Uri($"vectors/index/{name}/items/item-060", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Words_are_searched_alone_and_beside_find_similar_where_the_index_has_text_fields()
    {
        string name = Names.New("words");
        using (var created = await Silo.Api.PostAsJsonAsync("vectors/index",
            new { name, dimension = 2, distance = "euclidean", text_fields = new object[] { new { key = "body", language = "english" } } },
            TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        await Silo.AddAsync(name,
            new { id = "fox", vector = new[] { 0f, 0f }, metadata = new { body = "A quick fox jumps over fences" } },
            new { id = "dog", vector = new[] { 1f, 0f }, metadata = new { body = "The lazy dog sleeps" } },
            new { id = "cat", vector = new[] { 5f, 0f }, metadata = new { body = "Cats and foxes jumping" } });
        string plain = Names.New("nowords");
        await Silo.CreateIndexAsync(plain, 2);

        await using var tab = await browser.OpenAsync(Silo.BaseAddress);
        await tab.SignInAsync(Silo.AdminToken);
        var page = tab.Page;
        await page.GotoAsync($"/dashboard/#/index/{name}");
        await Expect(page.Locator("#params")).ToContainTextAsync("\"language\":\"english\"");
        await page.Locator("#text-query").FillAsync("jumping foxes");
        await page.Locator("#text-search-button").ClickAsync();
        var results = page.Locator("#neighbours tbody tr");
        await Expect(results).ToHaveCountAsync(2);   // stemmed: both hold fox and jump; the dog neither
        await Expect(results.Locator(".neighbour-id")).ToHaveTextAsync(["cat", "fox"]);
        await Expect(results.First.Locator(".neighbour-distance")).ToHaveTextAsync("");

        // With words in the box, "Find similar" fuses the nearest items with the keyword matches.
        await page.Locator("#text-query").FillAsync("sleeps");
        await page.Locator("#item-table tbody tr[data-id='cat'] .find-similar").ClickAsync();
        await Expect(page.Locator("#similar h2")).ToContainTextAsync("matching “sleeps”");
        await Expect(results).ToHaveCountAsync(3);
        await Expect(results.First.Locator(".neighbour-id")).ToHaveTextAsync("dog");   // in both lists
        await Expect(results.First.Locator(".neighbour-distance")).ToHaveTextAsync("4.000000");
        await Browser.ScreenshotAsync(page, "index-words");

        await page.GotoAsync($"/dashboard/#/index/{plain}");
        await Expect(page.Locator("#params")).ToBeVisibleAsync();
        await Expect(page.Locator("#text-search")).ToBeHiddenAsync();
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task An_index_without_vectors_is_created_through_the_form_and_searched_by_words_only()
    {
        string name = Names.New("novec");
        await using var tab = await browser.OpenAsync(Silo.BaseAddress);
        await tab.SignInAsync(Silo.AdminToken);
        var page = tab.Page;
        await page.GotoAsync("/dashboard/#/indexes");
        var form = page.Locator("#create-index");
        await form.Locator("input[name=name]").FillAsync(name);
        await form.Locator("input[name=no_vectors]").CheckAsync();
        await Expect(form.Locator("input[name=dimension]")).ToBeDisabledAsync();
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#indexes-message")).ToContainTextAsync($"Created {name}");
        var created = await Silo.Api.GetFromJsonAsync<JsonElement>($"vectors/index/{name}", TestContext.Current.CancellationToken);
        Assert.Equal(0, created.GetProperty("params").GetProperty("dimension").GetInt32());

        using (var fields = await Silo.Api.PostAsJsonAsync($"vectors/index/{name}/text_fields",
            new { text_fields = new[] { "body" } }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, fields.StatusCode);
        }
        await Silo.AddAsync(name,
            new { id = "fox", metadata = new { body = "A quick fox" } },
            new { id = "dog", metadata = new { body = "The lazy dog" } });
        await page.GotoAsync($"/dashboard/#/index/{name}");
        await Expect(page.Locator("#item-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#item-table .find-similar")).ToHaveCountAsync(0);
        await page.Locator("#text-query").FillAsync("lazy");
        await page.Locator("#text-search-button").ClickAsync();
        await Expect(page.Locator("#neighbours tbody tr .neighbour-id")).ToHaveTextAsync(["dog"]);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Find_similar_searches_by_the_named_vector_chosen()
    {
        string name = Names.New("named");
        using (var created = await Silo.Api.PostAsJsonAsync("vectors/index",
            new { name, vectors = new { title = new { dimension = 2, distance = "euclidean" }, image = new { dimension = 2, distance = "euclidean" } } },
            TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        // By title a is nearest b; by image a is nearest c.
        await Silo.AddAsync(name,
            new { id = "a", vectors = new { title = new[] { 0f, 0f }, image = new[] { 0f, 0f } } },
            new { id = "b", vectors = new { title = new[] { 1f, 0f }, image = new[] { 9f, 0f } } },
            new { id = "c", vectors = new { title = new[] { 9f, 0f }, image = new[] { 1f, 0f } } });

        await using var tab = await browser.OpenAsync(Silo.BaseAddress);
        await tab.SignInAsync(Silo.AdminToken);
        var page = tab.Page;
        await page.GotoAsync($"/dashboard/#/index/{name}");
        await Expect(page.Locator("#params")).ToContainTextAsync("\"image\"");
        var neighbours = page.Locator("#neighbours tbody tr .neighbour-id");
        await page.Locator("#using").SelectOptionAsync("title");
        await page.Locator("#item-table tbody tr[data-id='a'] .find-similar").ClickAsync();
        await Expect(neighbours).ToHaveTextAsync(["a", "b", "c"]);
        await page.Locator("#using").SelectOptionAsync("image");
        await page.Locator("#item-table tbody tr[data-id='a'] .find-similar").ClickAsync();
        await Expect(neighbours).ToHaveTextAsync(["a", "c", "b"]);
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Deleting_an_item_with_an_awkward_id_deletes_that_item_only()
    {
        string name = Names.New("awkward");
        await Silo.CreateIndexAsync(name, 2);
        await Silo.AddAsync(name, new { id = "a/b", vector = new[] { 1f, 0f } }, new { id = "%2e", vector = new[] { 0f, 1f } },
            new { id = "keep", vector = new[] { 1f, 1f } });

        await using var tab = await browser.OpenAsync(Silo.BaseAddress);
        await tab.SignInAsync(Silo.AdminToken);
        var page = tab.Page;
        await page.GotoAsync($"/dashboard/#/index/{name}");
        await Expect(page.Locator("#item-table tbody tr")).ToHaveCountAsync(3);
        foreach (var (id, left) in new[] { ("a/b", 2), ("%2e", 1) })
        {
            await page.Locator($"#item-table tbody tr[data-id='{id}'] .delete-item").ClickAsync();
            await Expect(page.Locator("#detail-message")).ToContainTextAsync($"Deleted {id}");
            await Expect(page.Locator($"#item-table tbody tr[data-id='{id}']")).ToHaveCountAsync(0);
            await Expect(page.Locator("#index-length")).ToHaveTextAsync(left.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var query = await Silo.Api.PostAsJsonAsync($"vectors/index/{name}/items/query", new { }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        using var remaining = JsonDocument.Parse(await query.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["keep"], remaining.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Empty(tab.Errors);
    }

    [Fact]
    public async Task Dropping_an_index_needs_the_confirmation()
    {
        string name = Names.New("drop");
        await Silo.CreateIndexAsync(name, 2);

        await using (var refusing = await browser.OpenAsync(Silo.BaseAddress, acceptDialogs: false))
        {
            await refusing.SignInAsync(Silo.AdminToken);
            await OpenFilteredAsync(refusing.Page, name);
            await refusing.Page.Locator($"button[data-drop='{name}']").ClickAsync();
            await Expect(refusing.Page.Locator("#index-table tbody tr")).ToHaveCountAsync(1);
        }
        using (var kept = await Silo.Api.GetAsync(new Uri($"vectors/index/{name}", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }

        await using var tab = await browser.OpenAsync(Silo.BaseAddress);
        await tab.SignInAsync(Silo.AdminToken);
        await OpenFilteredAsync(tab.Page, name);
        await tab.Page.Locator($"button[data-drop='{name}']").ClickAsync();
        await Expect(tab.Page.Locator("#indexes-message")).ToContainTextAsync($"Dropped {name}");
        await Expect(tab.Page.Locator("#index-range")).ToHaveTextAsync("no indexes");
        using var dropped = await Silo.Api.GetAsync(new Uri($"vectors/index/{name}", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, dropped.StatusCode);
        Assert.Empty(tab.Errors);
    }

    internal static async Task OpenFilteredAsync(IPage page, string name)
    {
        await page.GotoAsync("/dashboard/#/indexes");
        await page.Locator("#index-filter").FillAsync(name);
        await page.Locator("#index-filter").PressAsync("Enter");
        await Expect(page.Locator("#index-table tbody tr")).ToHaveCountAsync(1);
    }

    private async Task<(int Indexes, long Vectors)> TotalsAsync()
    {
        var list = await Silo.Api.GetFromJsonAsync<JsonElement>("vectors/index", TestContext.Current.CancellationToken);
        long vectors = 0;
        foreach (var name in list.GetProperty("names").EnumerateArray())
        {
            var info = await Silo.Api.GetFromJsonAsync<JsonElement>($"vectors/index/{name.GetString()}", TestContext.Current.CancellationToken);
            vectors += info.GetProperty("length").GetInt64();
        }
        return (list.GetProperty("count").GetInt32(), vectors);
    }
}

internal static class Names
{
    public static string New(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];
}
