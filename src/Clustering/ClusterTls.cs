using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Vectord.Clustering;

/// <summary>
/// Mutual TLS on the Orleans ports (silo to silo, gateway client to silo), from <c>Cluster:Tls</c>:
/// <c>CertificatePath</c> (a PKCS#12 file holding the cluster's certificate and private key),
/// <c>CertificatePassword</c> and <c>Require</c>. Every node and standalone gateway of a cluster holds the same
/// certificate; a connection is accepted only from a peer that proves it holds it too, so a process without the
/// certificate can neither join nor call, whatever it can reach on the network.
/// </summary>
/// <param name="Certificate">The cluster certificate, with its private key.</param>
/// <param name="Require">Whether a peer must present the certificate (mutual TLS; the default). Off, the ports
/// are encrypted but accept peers without a certificate: only for moving a running cluster over to TLS.</param>
public sealed record ClusterTls(X509Certificate2 Certificate, bool Require)
{
    /// <summary>Reads <c>Cluster:Tls</c>; null when no certificate is configured (plain TCP).</summary>
    /// <exception cref="InvalidOperationException">The certificate cannot be read, or has no private key.</exception>
    public static ClusterTls? From(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var path = section["CertificatePath"];
        if (string.IsNullOrWhiteSpace(path)) { return null; }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["CertificatePassword"],
                X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cluster:Tls:CertificatePath '{path}' is not a readable PKCS#12 certificate with that password: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"Cluster:Tls:CertificatePath '{path}' holds no private key");
        }
        return new ClusterTls(certificate, section.GetValue("Require", true));
    }

    /// <summary>Sets Orleans' TLS options: this certificate, and peers accepted only when they present it.</summary>
    public void Configure(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.LocalCertificate = Certificate;
        var mode = Require ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.AllowCertificate;
        options.RemoteCertificateMode = mode;
        options.ClientCertificateMode = mode;
        // The certificate is the cluster's own (often self-signed): it is pinned, not checked against a CA or a
        // host name, so a peer is trusted exactly when it holds the same certificate.
        options.RemoteCertificateValidation = (remote, _, _) =>
            CryptographicOperations.FixedTimeEquals(remote.RawData, Certificate.RawData);
    }
}
