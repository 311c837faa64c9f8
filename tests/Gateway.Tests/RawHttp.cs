using System.Net.Sockets;
using System.Text;

namespace Vectord.Gateway.Tests;

/// <summary>HTTP/1.1 over a plain socket, for request targets that must reach the server exactly as written
/// (<see cref="HttpClient"/> resolves <c>..</c> and decodes <c>%2e</c> before sending).</summary>
public static class RawHttp
{
    /// <summary>Sends one request (closing the connection after it) and returns the status and the body.</summary>
    public static async Task<(int Status, string Body)> SendAsync(Uri server, string method, string target, string? json = null)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, ct);
        await using NetworkStream stream = client.GetStream();
        byte[] body = json is null ? [] : Encoding.UTF8.GetBytes(json);
        string head = $"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\nContent-Length: {body.Length}\r\n"
            + (json is null ? "" : "Content-Type: application/json\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        await stream.WriteAsync(body, ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string answer = await reader.ReadToEndAsync(ct);
        int status = int.Parse(answer.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        int start = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, start < 0 ? "" : answer[(start + 4)..]);
    }
}
