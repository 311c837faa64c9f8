using System.Net;
using System.Net.Sockets;

namespace Vectord.Testing;

/// <summary>Finds TCP ports on the loopback interface that nothing listens on.</summary>
public static class FreePort
{
    private static readonly HashSet<int> s_handedOut = [];

    /// <summary>A loopback port that was free a moment ago and was not handed out before by this process.</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (s_handedOut)
            {
                if (s_handedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <exception cref="TimeoutException">Nothing listened within <paramref name="timeout"/>.</exception>
    public static async Task WaitListeningAsync(int port, TimeSpan timeout, Func<string>? describe = null, CancellationToken cancellationToken = default)
    {
        if (!await Eventually.HoldsAsync(() => AcceptsAsync(port, cancellationToken), timeout, cancellationToken))
        {
            throw new TimeoutException($"nothing listens on 127.0.0.1:{port} after {timeout.TotalSeconds:0} s. {describe?.Invoke()}");
        }
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
