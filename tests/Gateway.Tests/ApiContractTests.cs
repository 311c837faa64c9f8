using System.Net;
using Vectord.Testing;

namespace Vectord.Gateway.Tests;

/// <summary>The HTTP contract in the repository (<c>docs/http-api.md</c>) names exactly the routes a running node's
/// OpenAPI document has, in its headings and in its route table.</summary>
public sealed class ApiContractTests(NodeFixture node)
{
    private readonly HttpClient _http = node.Http;

    [Fact]
    public async Task The_contract_documents_every_route_of_the_openapi_document_and_no_other()
    {
        var contract = ApiContract.Parse(await File.ReadAllTextAsync(ApiContract.FilePath, TestContext.Current.CancellationToken));
        var served = await ServedRoutesAsync();

        Assert.NotEmpty(served);
        var differences = ApiContract.Differences("headings", contract.Headings, served)
            .Concat(ApiContract.Differences("route table", contract.Table, served)).ToList();
        Assert.True(differences.Count == 0, $"{ApiContract.FilePath} and the OpenAPI document differ:\n{string.Join('\n', differences)}");
    }

    [Fact]
    public async Task The_paths_the_contract_lists_outside_the_openapi_document_are_served_and_not_in_it()
    {
        var contract = ApiContract.Parse(await File.ReadAllTextAsync(ApiContract.FilePath, TestContext.Current.CancellationToken));
        var served = await ServedRoutesAsync();

        Assert.NotEmpty(contract.Outside);
        foreach (var route in contract.Outside)
        {
            Assert.DoesNotContain(route, served);
            string path = route.Path.Replace("{path}", "", StringComparison.Ordinal);
            var reply = await _http.SendAsync(new HttpMethod(route.Method), path);
            Assert.True(reply.Status != HttpStatusCode.NotFound, $"{route} answers 404");
        }
    }

    [Fact]
    public async Task A_route_missing_from_the_contract_or_only_in_it_is_reported()
    {
        string text = await File.ReadAllTextAsync(ApiContract.FilePath, TestContext.Current.CancellationToken);
        var served = await ServedRoutesAsync();
        const string Removed = "### DELETE /vectors/index/{name}/items/{id}";
        const string Added = "### POST /vectors/index/{name}/search/vectors";
        Assert.Contains(Removed + "\n", text, StringComparison.Ordinal);

        var doctored = ApiContract.Parse(text.Replace(Removed + "\n", Added + "\n", StringComparison.Ordinal));

        Assert.Equal(
            [
                "POST /vectors/index/{name}/search/vectors: in the headings, not in the OpenAPI document",
                "DELETE /vectors/index/{name}/items/{id}: in the OpenAPI document, not in the headings",
            ],
            ApiContract.Differences("headings", doctored.Headings, served));
        var twice = ApiContract.Parse(text + "\n### GET /health\n");
        Assert.Equal(["GET /health: headings lists it 2 times"], ApiContract.Differences("headings", twice.Headings, served));
    }

    [Fact]
    public void A_route_table_row_that_names_no_route_is_refused()
    {
        const string Markdown = "| route | does |\n|---|---|\n| `GET /health` | liveness |\n| health | liveness |\n";

        var error = Assert.Throws<FormatException>(() => ApiContract.Parse(Markdown));

        Assert.Contains("| health | liveness |", error.Message, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<ApiRoute>> ServedRoutesAsync() =>
        ApiContract.RoutesOf((await _http.GetReplyAsync("/openapi/v1.json")).AssertJson(HttpStatusCode.OK));
}
